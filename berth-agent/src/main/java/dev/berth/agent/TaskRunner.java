package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeFailure;
import dev.berth.agent.runtime.TaskScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on Docker through its lifecycle, on its own thread: pulls its images, creates its
 * containers, starts them in dependsOn order, watches them, stops them when the server asks or an
 * essential container exits, and reports every step to the server. A runner can also adopt the
 * containers of a task that were running before the agent restarted.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration POLL = Duration.ofMillis(250);
  static final String ESSENTIAL_EXITED = "Essential container in task exited";

  private final String taskArn;
  private final TaskScope scope;
  private final ContainerRuntime runtime;
  private final TaskReports reports;
  private final HostPortAllocator ports;
  private final PullBehavior pullBehavior;
  private final Clock clock;
  private final Consumer<TaskRunner> onFinished;
  private final String instanceArn;
  private final Map<String, ContainerRun> containers = new LinkedHashMap<>();
  private final List<ContainerRun> startOrder = new ArrayList<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile String stopReason;
  private volatile boolean stopRequested;
  private volatile boolean detached;
  private volatile Thread thread;

  TaskRunner(
      String cluster,
      JsonNode task,
      ObjectNode taskDefinition,
      String instanceArn,
      ContainerRuntime runtime,
      TaskReports reports,
      HostPortAllocator ports,
      PullBehavior pullBehavior,
      Clock clock,
      Consumer<TaskRunner> onFinished) {
    this.instanceArn = requireNonNull(instanceArn);
    this.onFinished = requireNonNull(onFinished);
    this.taskArn = requireNonNull(task.path("taskArn").asText(null));
    this.scope = TaskScope.forNewTask(cluster, taskArn, taskDefinition);
    this.runtime = requireNonNull(runtime);
    this.reports = requireNonNull(reports);
    this.ports = requireNonNull(ports);
    this.pullBehavior = requireNonNull(pullBehavior);
    this.clock = requireNonNull(clock);
    Map<String, ObjectNode> overrides = new LinkedHashMap<>();
    for (JsonNode override : task.path("overrides").path("containerOverrides")) {
      overrides.put(override.path("name").asText(), (ObjectNode) override);
    }
    for (JsonNode definition : taskDefinition.path("containerDefinitions")) {
      String name = definition.path("name").asText();
      containers.put(
          name,
          new ContainerRun(
              name, ContainerSpecs.applyOverride((ObjectNode) definition, overrides.get(name))));
    }
  }

  /** Returns the task's ARN. */
  String taskArn() {
    return taskArn;
  }

  /** Starts the task on a new thread, adopting the Docker containers given (name to id), if any. */
  void start(Map<String, String> adopted, boolean wasRunning) {
    thread =
        Thread.ofVirtual()
            .name("berth-task-" + taskArn.substring(taskArn.lastIndexOf('/') + 1))
            .start(() -> run(adopted, wasRunning));
  }

  /** Asks the task to stop, with the reason to report; repeated requests do nothing more. */
  void requestStop(String reason) {
    if (!stopRequested) {
      stopReason = reason;
      stopRequested = true;
    }
  }

  /**
   * Lets go of the task, leaving its containers as they are, because the agent is shutting down:
   * the runner's thread ends without stopping, reporting or removing anything, and the next agent
   * on this host adopts the containers.
   */
  void detach() {
    detached = true;
    Thread current = thread;
    if (current != null) {
      current.interrupt();
    }
  }

  /** Returns true once the task has stopped and said so. */
  boolean isFinished() {
    return finished.getCount() == 0;
  }

  /** Waits for the task to finish; returns false on timeout. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes the task's containers and task-scoped volumes, once stopped. */
  void cleanUp() {
    for (ContainerRun container : containers.values()) {
      if (container.dockerId != null) {
        try {
          runtime.remove(container.dockerId);
        } catch (RuntimeException e) {
          LOG.warn(
              "could not remove container {} of {}: {}", container.name, taskArn, e.getMessage());
        }
      }
    }
    try {
      scope.volumes().release(runtime);
    } catch (RuntimeException e) {
      LOG.warn("could not remove the volumes of {}: {}", taskArn, e.getMessage());
    }
  }

  private void run(Map<String, String> adopted, boolean wasRunning) {
    String reason = null;
    try {
      if (!adopted.isEmpty()) {
        reason = adopt(adopted);
      } else if (stopRequested) {
        // Told to stop before it ever started here: there is nothing to run or stop.
        reason = stopReason;
      } else if (wasRunning) {
        // The server saw it running, yet no container of it is left on this host.
        reason = "Task's containers were removed while the agent was not running";
        markAllStopped(reason);
      } else {
        reason = launch();
      }
      if (reason == null) {
        reason = watch();
      }
    } catch (RuntimeFailure e) {
      if (!detached) {
        LOG.warn("task {} failed: {}", taskArn, e.getMessage());
      }
      reason = e.getMessage();
    } catch (RuntimeException e) {
      LOG.error("task {} failed unexpectedly", taskArn, e);
      reason = "Berth agent error: " + e.getMessage();
    }
    if (detached) {
      LOG.info("left task {} to the next agent", taskArn);
      finished.countDown();
      return;
    }
    if (reason == null) {
      reason = stopReason;
    }
    stopAll();
    // Stopped containers hold no host port: free them before the server hears the task stopped
    // and may place the next task on them.
    containers.values().forEach(this::releasePorts);
    finished.countDown();
    reports.taskStopped(taskArn, reason, containers.values(), clock.instant());
    onFinished.accept(this);
  }

  /**
   * Pulls, creates and starts the containers; returns null once the task is RUNNING, else the
   * reason it must stop.
   */
  private String launch() {
    Instant pullStarted = clock.instant();
    reports.taskPending(taskArn, pullStarted, containers.values());
    for (ContainerRun container : containers.values()) {
      if (stopRequested) {
        return stopReason;
      }
      step(
          container,
          () ->
              runtime.ensureImage(container.definition.path("image").asText(), pullBehavior, null));
    }
    Instant pullStopped = clock.instant();
    scope.volumes().provision(runtime);
    for (ContainerRun container : containers.values()) {
      ContainerSpec spec =
          step(container, () -> ContainerSpecs.toSpec(scope, container.definition, ports));
      // The allocator holds these ports from here on, whether or not the create succeeds.
      container.claimed = spec.network().ports();
      container.dockerId =
          step(
              container,
              () -> runtime.create(spec.withLabel(EcsLabels.CONTAINER_INSTANCE, instanceArn)));
    }
    reports.taskActivating(taskArn, pullStarted, pullStopped, containers.values());
    String reason = startInDependencyOrder(new ArrayList<>(containers.values()));
    if (reason == null) {
      reports.taskRunning(taskArn, containers.values(), clock.instant());
    }
    return reason;
  }

  /**
   * Takes over the containers a previous agent left; starts those it created but never started.
   * Returns null if the task runs on, else the reason it must stop.
   */
  private String adopt(Map<String, String> adopted) {
    List<ContainerRun> unstarted = new ArrayList<>();
    for (ContainerRun container : containers.values()) {
      container.dockerId = adopted.get(container.name);
      ContainerStatus status = container.dockerId == null ? null : inspect(container);
      if (status == null) {
        container.status = "STOPPED";
        container.reason = "Container was removed while the agent was not running";
      } else if (status.state() == ContainerState.CREATED) {
        unstarted.add(container);
      } else {
        container.started = true;
        refresh(container);
        // Its ports are taken by the container itself: mark them, without probing them free.
        container.claimed = container.bindings;
        ports.markInUse(container.claimed);
        startOrder.add(container);
      }
    }
    LOG.info("adopted the containers of task {}", taskArn);
    String reason = essentialExited();
    if (reason == null && !unstarted.isEmpty()) {
      reason = startInDependencyOrder(unstarted);
    }
    if (reason == null) {
      reports.taskRunning(taskArn, containers.values(), clock.instant());
    }
    return reason;
  }

  /**
   * Runs one Docker step for a container; its failure becomes the container's reason too, as ECS
   * reports e.g. a CannotPullContainerError on the container whose image could not be had.
   */
  private static <T> T step(ContainerRun container, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeFailure e) {
      container.reason = e.getMessage();
      throw e;
    }
  }

  /**
   * Starts each waiting container once its dependsOn conditions hold, each within its own
   * startTimeout; returns null when all have started, else the reason the task must stop.
   */
  private String startInDependencyOrder(List<ContainerRun> waiting) {
    Instant began = clock.instant();
    while (!waiting.isEmpty()) {
      if (stopRequested) {
        return stopReason;
      }
      boolean progressed = false;
      for (ContainerRun container : List.copyOf(waiting)) {
        Boolean ready = dependenciesMet(container);
        if (ready == null) {
          throw new RuntimeFailure(
              "DependencyFailed",
              "Container "
                  + container.name
                  + " cannot start: a container it depends on did not reach its condition");
        }
        if (ready) {
          step(
              container,
              () -> {
                runtime.start(container.dockerId);
                return null;
              });
          container.started = true;
          refresh(container);
          startOrder.add(container);
          waiting.remove(container);
          progressed = true;
        }
      }
      if (!progressed) {
        for (ContainerRun container : containers.values()) {
          if (container.started && !container.exited()) {
            refresh(container);
          }
        }
        String reason = essentialExited();
        if (reason != null) {
          return reason;
        }
        Duration waited = Duration.between(began, clock.instant());
        for (ContainerRun container : waiting) {
          Duration timeout = startTimeout(container);
          if (timeout != null && waited.compareTo(timeout) > 0) {
            throw new RuntimeFailure(
                "DependencyTimeout",
                "Timed out after "
                    + timeout.toSeconds()
                    + " s waiting for the dependencies of container "
                    + container.name);
          }
        }
        pause();
      }
    }
    return null;
  }

  /** Returns the reason the task must stop if an essential container has exited, else null. */
  private String essentialExited() {
    for (ContainerRun container : containers.values()) {
      if (container.essential && container.exited()) {
        return ESSENTIAL_EXITED;
      }
    }
    return null;
  }

  /** Returns true if the container may start, false if not yet, null if it never will. */
  private Boolean dependenciesMet(ContainerRun container) {
    for (JsonNode dependency : container.definition.path("dependsOn")) {
      ContainerRun other = containers.get(dependency.path("containerName").asText());
      if (other == null) {
        return null;
      }
      String condition = dependency.path("condition").asText();
      switch (condition) {
        case "START" -> {
          if (!other.started) {
            return false;
          }
        }
        case "COMPLETE" -> {
          if (!other.exited()) {
            return false;
          }
        }
        case "SUCCESS" -> {
          if (!other.exited()) {
            return false;
          }
          if (other.exitCode == null || other.exitCode != 0) {
            return null;
          }
        }
        case "HEALTHY" -> {
          if (other.exited() || other.health == HealthStatus.UNHEALTHY) {
            return null;
          }
          if (other.health != HealthStatus.HEALTHY) {
            return false;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return true;
  }

  /** Watches the running task; returns the reason it must stop. */
  private String watch() {
    Map<String, HealthStatus> lastHealth = new LinkedHashMap<>();
    while (true) {
      if (detached) {
        return null;
      }
      if (stopRequested) {
        return stopReason;
      }
      String exited = essentialExited();
      if (exited != null) {
        return exited;
      }
      boolean healthChanged = false;
      for (ContainerRun container : containers.values()) {
        if (container.dockerId == null || container.exited()) {
          continue;
        }
        refresh(container);
        if (container.hasHealthCheck()
            && lastHealth.put(container.name, container.health) != container.health) {
          healthChanged = true;
        }
        if (container.exited()) {
          if (container.essential) {
            return ESSENTIAL_EXITED;
          }
          reports.containerStopped(taskArn, container);
        }
      }
      if (healthChanged) {
        reports.health(taskArn, containers.values());
      }
      if (containers.values().stream().allMatch(ContainerRun::exited)) {
        return ESSENTIAL_EXITED;
      }
      pause();
    }
  }

  private void stopAll() {
    if (containers.values().stream().anyMatch(c -> c.dockerId != null && !c.exited())) {
      reports.taskStopping(taskArn, containers.values());
    }
    List<ContainerRun> order = new ArrayList<>(startOrder);
    java.util.Collections.reverse(order);
    for (ContainerRun container : order) {
      if (container.dockerId != null && !container.exited()) {
        try {
          runtime.stop(container.dockerId, stopTimeout(container));
        } catch (RuntimeException e) {
          LOG.warn(
              "could not stop container {} of {}: {}", container.name, taskArn, e.getMessage());
        }
      }
    }
    for (ContainerRun container : containers.values()) {
      if (container.dockerId != null) {
        refresh(container);
      }
      if (!container.exited()) {
        container.status = "STOPPED";
      }
    }
  }

  private void markAllStopped(String reason) {
    for (ContainerRun container : containers.values()) {
      container.status = "STOPPED";
      container.reason = reason;
    }
  }

  /** Returns Docker's view of a container, or null if it is gone. */
  private ContainerStatus inspect(ContainerRun container) {
    return runtime.inspect(container.dockerId);
  }

  /** Updates a container's run from Docker's view of it. */
  private void refresh(ContainerRun container) {
    ContainerStatus status;
    try {
      status = inspect(container);
    } catch (RuntimeException e) {
      LOG.warn("cannot inspect {} of {}: {}", container.name, taskArn, e.getMessage());
      return;
    }
    if (status == null) {
      container.status = "STOPPED";
      container.reason = container.reason == null ? "Container was removed" : container.reason;
      return;
    }
    if (!status.ports().isEmpty()) {
      // Docker shows no ports once a container stops; keep the last ones for the report.
      container.bindings = status.ports();
    }
    container.health = status.health() == null ? HealthStatus.UNKNOWN : status.health();
    if (!container.started || status.state() == ContainerState.CREATED) {
      return;
    }
    if (status.state().isStopped()) {
      container.status = "STOPPED";
      container.exitCode = status.exitCode();
      if (status.oomKilled()) {
        container.reason = "OutOfMemoryError: Container killed due to memory usage";
      } else if (status.error() != null && !status.error().isBlank()) {
        container.reason = status.error();
      }
    } else {
      container.status = "RUNNING";
    }
  }

  private void releasePorts(ContainerRun container) {
    ports.release(container.claimed);
    container.claimed = List.of();
  }

  private static Duration stopTimeout(ContainerRun container) {
    JsonNode timeout = container.definition.get("stopTimeout");
    return timeout == null
        ? ContainerSpecs.DEFAULT_STOP_TIMEOUT
        : Duration.ofSeconds(timeout.asLong());
  }

  private static Duration startTimeout(ContainerRun container) {
    JsonNode timeout = container.definition.get("startTimeout");
    return timeout == null ? null : Duration.ofSeconds(timeout.asLong());
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("Interrupted", "The agent is shutting down");
    }
  }
}
