package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStats;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.PortBinding;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RegistryAuth;
import dev.berth.agent.runtime.RuntimeEvent;
import dev.berth.agent.runtime.RuntimeFailure;
import dev.berth.agent.runtime.RuntimeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A container engine in memory, for tests of the task engine: it records every image pull and every
 * create, start, stop and remove in order, and a test makes its containers exit, turn healthy or
 * unhealthy, or vanish.
 *
 * <p>It behaves as Docker does where the engine depends on it: a container publishes its host ports
 * only while it runs (inspect shows none once created or stopped), a stopped container exits with
 * 143 (SIGTERM), stopping a stopped or missing container does nothing, and removing a missing one
 * is fine. The wait methods block on the fake's own monitor, bounded by {@link #WAIT}.
 *
 * <p>It sends Docker's container events to its subscribers as the engine does: start, die (on an
 * exit or a stop), health_status, destroy; a test can also break the stream, as a daemon restart
 * does. A stopped container's FinishedAt is the fake's clock's time then.
 */
final class FakeRuntime implements ContainerRuntime {
  /** How long a wait method waits before it fails the test. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The exit code of a container stopped by its stop signal. */
  static final int SIGTERM_EXIT = 143;

  /** One call the engine made: an operation, the task and container it concerns, and a detail. */
  record Call(String operation, String taskArn, String container, String detail) {
    @Override
    public String toString() {
      return operation
          + " "
          + (container == null ? detail : container + (detail == null ? "" : " " + detail));
    }
  }

  private static final class Container {
    final String id;
    final ContainerSpec spec;
    final Map<String, String> labels;
    final List<PortBinding> ports;
    ContainerState state;
    Integer exitCode;
    Instant finishedAt;
    HealthStatus health = HealthStatus.UNKNOWN;
    ContainerStats stats;

    Container(
        String id,
        ContainerSpec spec,
        Map<String, String> labels,
        List<PortBinding> ports,
        ContainerState state) {
      this.id = id;
      this.spec = spec;
      this.labels = Map.copyOf(labels);
      this.ports = List.copyOf(ports);
      this.state = state;
    }

    String name() {
      return labels.get(EcsLabels.CONTAINER_NAME);
    }

    String taskArn() {
      return labels.get(EcsLabels.TASK_ARN);
    }

    ContainerStatus status() {
      return new ContainerStatus(
          id,
          spec == null ? name() : spec.name(),
          state,
          exitCode,
          null,
          finishedAt,
          health,
          false,
          null,
          publishedPorts(),
          labels);
    }

    // Docker publishes a container's ports only while it runs.
    List<PortBinding> publishedPorts() {
      return state == ContainerState.RUNNING ? ports : List.of();
    }
  }

  private final Map<String, Container> containers = new LinkedHashMap<>();
  // Every container ever made or placed, so calls on one that vanished still name it.
  private final Map<String, Container> known = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> inspections = new HashMap<>();
  private final Set<String> unpullable = new HashSet<>();
  private final Set<String> uncreatable = new HashSet<>();
  private final Set<String> volumes = new HashSet<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final Clock clock;
  private int subscriptions;
  private int nextId = 1;

  private record Subscriber(Map<String, String> labelFilter, Consumer<RuntimeEvent> listener) {}

  /** Creates an empty engine whose containers finish at the wall clock's time. */
  FakeRuntime() {
    this(Clock.systemUTC());
  }

  /** Creates an empty engine whose containers finish at the clock's time. */
  FakeRuntime(Clock clock) {
    this.clock = requireNonNull(clock);
  }

  // What a test tells the fake.

  /** Makes every pull of the image fail, as a registry that does not have it. */
  synchronized void failPullOf(String image) {
    unpullable.add(image);
  }

  /** Sets the counters the container's next stats readings return. */
  synchronized void setStats(String id, ContainerStats stats) {
    containers.get(id).stats = stats;
  }

  /** Makes every create of a container of that ECS name fail. */
  synchronized void failCreateOf(String containerName) {
    uncreatable.add(containerName);
  }

  /**
   * Puts a container on the host as if an earlier agent had made it, labelled for the task; no call
   * is recorded. Returns its id.
   */
  synchronized String place(
      String cluster,
      String taskArn,
      String containerName,
      ContainerState state,
      PortBinding... ports) {
    String id = newId();
    Map<String, String> labels =
        Map.of(
            EcsLabels.CLUSTER, cluster,
            EcsLabels.TASK_ARN, taskArn,
            EcsLabels.CONTAINER_NAME, containerName,
            EcsLabels.CONTAINER_INSTANCE, Tasks.INSTANCE_ARN);
    Container container = new Container(id, null, labels, List.of(ports), state);
    if (state.isStopped()) {
      container.exitCode = 0;
      container.finishedAt = clock.instant();
    }
    containers.put(id, container);
    known.put(id, container);
    notifyAll();
    return id;
  }

  /** Puts a container on the host that exited with the code while no agent watched it. */
  synchronized String placeExited(
      String cluster, String taskArn, String containerName, int exitCode) {
    String id = place(cluster, taskArn, containerName, ContainerState.EXITED);
    containers.get(id).exitCode = exitCode;
    return id;
  }

  /** Makes the one running container of that ECS name exit with the code. */
  synchronized void exit(String containerName, int exitCode) {
    Container container = running(containerName);
    container.state = ContainerState.EXITED;
    container.exitCode = exitCode;
    container.finishedAt = clock.instant();
    notifyAll();
    send(container, RuntimeEvent.Type.DIE);
  }

  /**
   * Changes the container's state as {@link #exit} does but sends no event, as when the agent's
   * event stream missed it.
   */
  synchronized void exitSilently(String containerName, int exitCode) {
    Container container = running(containerName);
    container.state = ContainerState.EXITED;
    container.exitCode = exitCode;
    container.finishedAt = clock.instant();
    notifyAll();
  }

  /** Makes the one running container of that ECS name pass its health check. */
  synchronized void turnHealthy(String containerName) {
    Container container = running(containerName);
    container.health = HealthStatus.HEALTHY;
    notifyAll();
    send(container, RuntimeEvent.Type.HEALTH_STATUS);
  }

  /** Makes the one running container of that ECS name fail its health check. */
  synchronized void turnUnhealthy(String containerName) {
    Container container = running(containerName);
    container.health = HealthStatus.UNHEALTHY;
    notifyAll();
    send(container, RuntimeEvent.Type.HEALTH_STATUS);
  }

  /** Removes the one running container of that ECS name behind the engine's back. */
  synchronized void vanish(String containerName) {
    Container container = running(containerName);
    containers.remove(container.id);
    notifyAll();
    send(container, RuntimeEvent.Type.DIE);
    send(container, RuntimeEvent.Type.DESTROY);
  }

  /**
   * Breaks every event stream, as a daemon restart does: each subscriber hears DISCONNECTED and
   * nothing more.
   */
  synchronized void breakEventStreams() {
    List<Subscriber> broken = List.copyOf(subscribers);
    subscribers.clear();
    for (Subscriber subscriber : broken) {
      subscriber
          .listener()
          .accept(
              new RuntimeEvent(
                  RuntimeEvent.Type.DISCONNECTED, null, Map.of(), null, null, clock.instant()));
    }
  }

  /** Returns how many event streams are open now. */
  synchronized int openEventStreams() {
    return subscribers.size();
  }

  /** Returns how many event streams were ever opened. */
  synchronized int eventSubscriptions() {
    return subscriptions;
  }

  // What a test reads.

  /**
   * Returns every call so far, in order, e.g. "pull IMAGE", "create web", "stop web 30s",
   * "removeVolume NAME".
   */
  synchronized List<String> calls() {
    return calls.stream().map(Call::toString).toList();
  }

  /** Returns the create, start, stop and remove calls for one task, in order. */
  synchronized List<String> calls(String taskArn) {
    return calls.stream()
        .filter(call -> taskArn.equals(call.taskArn()))
        .map(Call::toString)
        .toList();
  }

  /** Returns the state of the container with that id, or null once it is gone. */
  synchronized ContainerState state(String id) {
    Container container = containers.get(id);
    return container == null ? null : container.state;
  }

  /** Returns the ids of the containers on the host, stopped ones included. */
  synchronized Set<String> containerIds() {
    return Set.copyOf(containers.keySet());
  }

  /** Waits until the engine has made the call, e.g. "start web". */
  synchronized void awaitCall(String call) throws InterruptedException {
    awaitTrue(() -> calls().contains(call), "the call \"" + call + "\"");
  }

  /**
   * Waits until the engine has inspected containers of that ECS name {@code times} more times:
   * proof that its runner went round its loop and saw what the container is now.
   */
  synchronized void awaitInspected(String containerName, int times) throws InterruptedException {
    int target = inspections.getOrDefault(containerName, 0) + times;
    awaitTrue(
        () -> inspections.getOrDefault(containerName, 0) >= target,
        times + " more inspections of " + containerName);
  }

  private void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + "; calls so far: " + calls());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  // ContainerRuntime.

  @Override
  public RuntimeInfo info() {
    return new RuntimeInfo("fake", "1.44", 2, 4096, "linux", "x86_64");
  }

  @Override
  public synchronized boolean ensureImage(String image, PullBehavior behavior, RegistryAuth auth) {
    record(new Call("pull", null, null, image));
    if (unpullable.contains(image)) {
      throw new RuntimeFailure(
          RuntimeFailure.CANNOT_PULL,
          "pull access denied for " + image + ", repository does not exist");
    }
    return true;
  }

  @Override
  public synchronized String create(ContainerSpec spec) {
    String name = spec.labels().get(EcsLabels.CONTAINER_NAME);
    record(new Call("create", spec.labels().get(EcsLabels.TASK_ARN), name, null));
    if (uncreatable.contains(name)) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_CREATE, "the fake refuses " + name);
    }
    String id = newId();
    Container container =
        new Container(id, spec, spec.labels(), spec.network().ports(), ContainerState.CREATED);
    containers.put(id, container);
    known.put(id, container);
    return id;
  }

  @Override
  public synchronized void start(String id) {
    Container container = containers.get(id);
    record(call("start", id, known.get(id), null));
    if (container == null) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_START, "no such container " + id);
    }
    if (container.state != ContainerState.RUNNING) {
      container.state = ContainerState.RUNNING;
      container.exitCode = null;
      container.finishedAt = null;
      container.health = HealthStatus.UNKNOWN;
      send(container, RuntimeEvent.Type.START);
    }
  }

  @Override
  public synchronized void stop(String id, Duration timeout) {
    Container container = containers.get(id);
    record(call("stop", id, known.get(id), timeout.toSeconds() + "s"));
    if (container != null && container.state == ContainerState.RUNNING) {
      container.state = ContainerState.EXITED;
      container.exitCode = SIGTERM_EXIT;
      container.finishedAt = clock.instant();
      send(container, RuntimeEvent.Type.DIE);
    }
  }

  @Override
  public synchronized ContainerStatus inspect(String id) {
    Container container = containers.get(id);
    if (container != null) {
      inspections.merge(container.name(), 1, Integer::sum);
      notifyAll();
    }
    return container == null ? null : container.status();
  }

  @Override
  public synchronized ContainerStats stats(String id) {
    Container container = containers.get(id);
    // Docker has no counters for a container that is not running.
    return container == null || container.state != ContainerState.RUNNING ? null : container.stats;
  }

  @Override
  public synchronized void remove(String id) {
    record(call("remove", id, known.get(id), null));
    Container removed = containers.remove(id);
    if (removed != null) {
      send(removed, RuntimeEvent.Type.DESTROY);
    }
  }

  @Override
  public synchronized List<ContainerSummary> list(Map<String, String> labelFilter) {
    List<ContainerSummary> out = new ArrayList<>();
    for (Container container : containers.values()) {
      if (matches(container.labels, labelFilter)) {
        out.add(
            new ContainerSummary(
                container.id,
                container.spec == null ? container.name() : container.spec.name(),
                container.labels,
                container.state,
                container.publishedPorts()));
      }
    }
    return out;
  }

  @Override
  public synchronized AutoCloseable events(
      Map<String, String> labelFilter, Consumer<RuntimeEvent> listener) {
    Subscriber subscriber = new Subscriber(Map.copyOf(labelFilter), requireNonNull(listener));
    subscribers.add(subscriber);
    subscriptions++;
    return () -> {
      synchronized (this) {
        subscribers.remove(subscriber);
      }
    };
  }

  @Override
  public synchronized void createVolume(
      String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
    record(new Call("createVolume", labels.get(EcsLabels.TASK_ARN), null, name));
    volumes.add(name);
  }

  @Override
  public synchronized boolean volumeExists(String name) {
    return volumes.contains(name);
  }

  @Override
  public synchronized List<String> listVolumes(Map<String, String> labelFilter) {
    return List.copyOf(volumes);
  }

  @Override
  public synchronized void removeVolume(String name) {
    record(new Call("removeVolume", null, null, name));
    volumes.remove(name);
  }

  @Override
  public void close() {}

  private Container running(String containerName) {
    List<Container> found =
        containers.values().stream()
            .filter(c -> containerName.equals(c.name()) && c.state == ContainerState.RUNNING)
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          found.size() + " running containers named " + containerName + "; calls: " + calls());
    }
    return found.get(0);
  }

  // Listeners only note the event and return, so calling them under the fake's monitor is safe.
  private void send(Container container, RuntimeEvent.Type type) {
    Map<String, String> attributes = new HashMap<>(container.labels);
    if (container.exitCode != null) {
      attributes.put("exitCode", container.exitCode.toString());
    }
    RuntimeEvent event =
        new RuntimeEvent(
            type,
            container.id,
            attributes,
            type == RuntimeEvent.Type.DIE ? container.exitCode : null,
            type == RuntimeEvent.Type.HEALTH_STATUS ? container.health : null,
            clock.instant());
    for (Subscriber subscriber : List.copyOf(subscribers)) {
      if (matches(container.labels, subscriber.labelFilter())) {
        subscriber.listener().accept(event);
      }
    }
  }

  private static Call call(String operation, String id, Container container, String detail) {
    return container == null
        ? new Call(operation, null, id, detail)
        : new Call(operation, container.taskArn(), container.name(), detail);
  }

  private void record(Call call) {
    calls.add(requireNonNull(call));
    notifyAll();
  }

  private String newId() {
    return String.format("%064x", nextId++);
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> filter) {
    for (Map.Entry<String, String> wanted : filter.entrySet()) {
      String value = labels.get(wanted.getKey());
      if (value == null) {
        return false;
      }
      if (wanted.getValue() != null
          && !wanted.getValue().isEmpty()
          && !wanted.getValue().equals(value)) {
        return false;
      }
    }
    return true;
  }
}
