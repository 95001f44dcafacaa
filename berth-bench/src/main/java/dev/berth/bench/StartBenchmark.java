package dev.berth.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.Agent;
import dev.berth.agent.AgentConfig;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.TaskScope;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Measures how long a task takes to start: from RunTask until DescribeTasks says RUNNING, with a
 * server and an agent in this process on a temporary store and the local Docker engine, beside the
 * create and start of the same container straight through the Engine API. The two alternate, so
 * both see the same machine noise.
 *
 * <p>Just over 400 lines: the two sides of each round, set up and measured the same way, read best
 * side by side.
 */
public final class StartBenchmark {
  /** The image the tasks run, loaded from the host's static busybox unless present. */
  static final String IMAGE = "berth-bench/busybox:latest";

  private static final String FAMILY = "berth-bench-start";
  private static final String CONTAINER = "sleeper";
  private static final int MEMORY_MIB = 32;
  // sleep as PID 1 would ignore SIGTERM and make each stop wait out the stop timeout.
  private static final List<String> COMMAND =
      List.of("sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");
  private static final String RUN_LABEL = "dev.berth.bench.run";
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final int iterations;
  private final int warmup;
  private final String dockerHost;
  private volatile boolean stopRequested;

  /**
   * Creates a benchmark of that many measured starts of each kind after the warm-up ones, on the
   * Docker engine at the host.
   */
  public StartBenchmark(int iterations, int warmup, String dockerHost) {
    if (iterations < 1 || warmup < 0) {
      throw new IllegalArgumentException("iterations must be at least 1 and warmup not negative");
    }
    this.iterations = iterations;
    this.warmup = warmup;
    this.dockerHost = requireNonNull(dockerHost, "dockerHost");
  }

  /** Runs the benchmark and prints one line per iteration, then the JSON summary. */
  public void run(PrintStream out) throws Exception {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    String runId = HexFormat.of().formatHex(random);
    String cluster = "berth-bench-" + runId;
    long[] berth = new long[iterations];
    long[] docker = new long[iterations];
    Leftovers leftovers =
        new Leftovers(
            Files.createTempDirectory("berth-bench-start-"),
            List.of(Map.of(EcsLabels.CLUSTER, cluster), Map.of(RUN_LABEL, runId)));
    // On Ctrl-C the finally below does not run by itself: the hook asks the loop to stop, waits
    // for its clean-up, and cleans up itself only if the loop does not come back in time.
    Thread hook = new Thread(() -> stopAndCleanUp(leftovers), "berth-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      DockerRuntime runtime = leftovers.runtime = DockerRuntime.connect(dockerHost);
      BusyboxImage image =
          leftovers.image = BusyboxImage.ensure(dockerHost, runtime.info().apiVersion(), IMAGE);
      out.println(
          "image " + image.name() + (image.loaded() ? " (loaded for this run)" : " (present)"));
      measure(out, runtime, cluster, runId, leftovers.dataDir, berth, docker);
    } finally {
      leftovers.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running.
      }
    }
    ObjectNode summary = Json.object();
    summary.put("iterations", iterations);
    summary.put("warmup", warmup);
    summary.put("berthMedianMs", millis(percentile(berth, 50)));
    summary.put("berthP90Ms", millis(percentile(berth, 90)));
    summary.put("dockerMedianMs", millis(percentile(docker, 50)));
    summary.put("dockerP90Ms", millis(percentile(docker, 90)));
    summary.put("ratio", Math.round(percentile(berth, 50) / percentile(docker, 50) * 100) / 100.0);
    out.println(summary);
  }

  private void stopAndCleanUp(Leftovers leftovers) {
    stopRequested = true;
    try {
      if (leftovers.awaitDone(TIMEOUT)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leftovers.run();
  }

  private void measure(
      PrintStream out,
      DockerRuntime runtime,
      String cluster,
      String runId,
      Path dataDir,
      long[] berth,
      long[] docker)
      throws InterruptedException {
    ContainerSpec spec = bareSpec(cluster);
    ServerConfig config = ServerConfig.onLoopback(dataDir.resolve("server"), List.of(cluster));
    try (BerthServer server = BerthServer.start(config);
        Agent agent = Agent.start(agentConfig(server, cluster, dataDir), Clock.systemUTC());
        EcsClient ecs = PlacementBenchmark.client(server)) {
      awaitConnected(agent);
      ecs.registerTaskDefinition(
          r ->
              r.family(FAMILY)
                  .containerDefinitions(
                      c ->
                          c.name(CONTAINER)
                              .image(IMAGE)
                              .memory(MEMORY_MIB)
                              .essential(true)
                              .command(COMMAND)));
      for (int i = -warmup; i < iterations; i++) {
        if (stopRequested) {
          throw new IllegalStateException("stopped before iteration " + (i + 1));
        }
        long viaBerth = startTask(ecs, cluster);
        long bare = startContainer(runtime, spec, runId, i + warmup);
        String label = i < 0 ? "warm-up" : String.format("%7d", i + 1);
        out.printf("%s  berth %7.1f ms  docker %7.1f ms%n", label, viaBerth / 1e6, bare / 1e6);
        if (i >= 0) {
          berth[i] = viaBerth;
          docker[i] = bare;
        }
      }
    }
  }

  /** Runs a task, returns the nanoseconds until DescribeTasks said RUNNING, then stops it. */
  private static long startTask(EcsClient ecs, String cluster) {
    long started = System.nanoTime();
    RunTaskResponse response = ecs.runTask(r -> r.cluster(cluster).taskDefinition(FAMILY));
    if (!response.failures().isEmpty() || response.tasks().isEmpty()) {
      throw new IllegalStateException("RunTask placed no task: " + response.failures());
    }
    String arn = response.tasks().get(0).taskArn();
    awaitStatus(ecs, cluster, arn, "RUNNING", started);
    long elapsed = System.nanoTime() - started;
    ecs.stopTask(r -> r.cluster(cluster).task(arn).reason("berth bench start"));
    // Not measured: the stop must be over before the next start, or the two would overlap.
    awaitStatus(ecs, cluster, arn, "STOPPED", System.nanoTime());
    return elapsed;
  }

  private static void awaitStatus(
      EcsClient ecs, String cluster, String arn, String wanted, long since) {
    for (long tick = since; ; ) {
      Task task = ecs.describeTasks(r -> r.cluster(cluster).tasks(arn)).tasks().get(0);
      if (wanted.equals(task.lastStatus())) {
        return;
      }
      if ("STOPPED".equals(task.lastStatus())) {
        throw new IllegalStateException(
            "task "
                + arn
                + " stopped before it was "
                + wanted
                + ": "
                + task.stoppedReason()
                + " "
                + task.containers().stream().map(c -> c.reason()).toList());
      }
      tick = awaitTick(tick, since, "task " + arn + " to be " + wanted);
    }
  }

  /**
   * Creates and starts the container, returns the nanoseconds until inspect said running, then
   * removes it.
   */
  private static long startContainer(
      DockerRuntime runtime, ContainerSpec spec, String runId, int sequence) {
    ContainerSpec named =
        new ContainerSpec(
            "berth-bench-" + runId + "-" + sequence,
            spec.image(),
            Map.of(RUN_LABEL, runId),
            spec.process(),
            spec.resources(),
            spec.network(),
            spec.storage(),
            spec.security(),
            spec.log(),
            spec.healthCheck(),
            spec.stopTimeout());
    long started = System.nanoTime();
    String id = runtime.create(named);
    try {
      runtime.start(id);
      for (long tick = started; ; ) {
        ContainerStatus status = runtime.inspect(id);
        if (status != null && status.state() == ContainerState.RUNNING) {
          return System.nanoTime() - started;
        }
        if (status == null || status.state().isStopped()) {
          throw new IllegalStateException(
              "container " + id + " ended before it ran: " + (status == null ? "gone" : status));
        }
        tick = awaitTick(tick, started, "container " + id + " to run");
      }
    } finally {
      runtime.remove(id);
    }
  }

  /**
   * Parks until the poll after the one at {@code tick} (at once if a slow poll has already passed
   * that time), and returns its time.
   */
  private static long awaitTick(long tick, long since, String what) {
    long next = Math.max(tick + POLL.toNanos(), System.nanoTime());
    if (next - since > TIMEOUT.toNanos()) {
      throw new IllegalStateException("gave up waiting for " + what + " after " + TIMEOUT);
    }
    for (long left = next - System.nanoTime(); left > 0; left = next - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    return next;
  }

  /**
   * Returns the container the agent would create for the task definition, so the bare start runs
   * the same image, command, memory limit, network and log settings.
   */
  private static ContainerSpec bareSpec(String cluster) {
    ObjectNode definition = Json.object();
    definition.put("family", FAMILY);
    definition.put("revision", 1);
    ObjectNode container = definition.putArray("containerDefinitions").addObject();
    container.put("name", CONTAINER);
    container.put("image", IMAGE);
    container.put("memory", MEMORY_MIB);
    container.put("essential", true);
    COMMAND.forEach(container.putArray("command")::add);
    String arn = "arn:aws:ecs:us-east-1:000000000000:task/" + cluster + "/bare";
    return ContainerSpecs.toSpec(
        TaskScope.forNewTask(cluster, arn, definition),
        container,
        HostPortAllocator.withDefaultRange("127.0.0.1"));
  }

  private AgentConfig agentConfig(BerthServer server, String cluster, Path dataDir) {
    return new AgentConfig(
        cluster,
        URI.create(server.endpoint()),
        ServerConfig.DEFAULT_REGION,
        PlacementBenchmark.credentials(server),
        dataDir.resolve("agent"),
        dockerHost,
        ServerConfig.DEFAULT_REGION + "a",
        "berth.bench",
        0,
        AgentConfig.DEFAULT_RESERVED_PORTS,
        List.of(),
        // The image is local and no registry may be reachable: never try to pull it.
        "prefer-cached",
        "127.0.0.1",
        HostPortAllocator.DEFAULT_FIRST,
        HostPortAllocator.DEFAULT_LAST,
        Duration.ofSeconds(AgentChannel.HEARTBEAT_SECONDS),
        // Stopped tasks' containers are removed at the end, not while later starts are measured.
        Duration.ofHours(1));
  }

  private static void awaitConnected(Agent agent) {
    long since = System.nanoTime();
    for (long tick = since; !agent.isConnected(); ) {
      tick = awaitTick(tick, since, "the agent channel");
    }
  }

  /** Removes the containers with the labels; a failure is reported, not thrown over another. */
  private static void removeContainers(DockerRuntime runtime, Map<String, String> labels) {
    try {
      for (ContainerSummary container : runtime.list(labels)) {
        runtime.remove(container.id());
      }
    } catch (RuntimeException e) {
      System.err.println("berth bench: could not remove the containers " + labels + ": " + e);
    }
  }

  /** Returns the nearest-rank percentile of the samples, interpolating the median. */
  private static double percentile(long[] samples, int percent) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (percent == 50 && n % 2 == 0) {
      return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * n);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double millis(double nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }

  /**
   * What a run leaves behind: the containers with its labels, the image if it loaded it, the Docker
   * connection and the temporary directory. Running it removes them all, once.
   */
  private static final class Leftovers implements Runnable {
    final Path dataDir;
    private final List<Map<String, String>> labels;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    volatile DockerRuntime runtime;
    volatile BusyboxImage image;

    Leftovers(Path dataDir, List<Map<String, String>> labels) {
      this.dataDir = dataDir;
      this.labels = labels;
    }

    /** Waits until the clean-up has finished, and returns false if it did not in time. */
    boolean awaitDone(Duration timeout) throws InterruptedException {
      return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes everything; each failure is reported and the rest still removed. */
    @Override
    public void run() {
      if (!started.compareAndSet(false, true)) {
        return;
      }
      try {
        if (runtime != null) {
          labels.forEach(filter -> removeContainers(runtime, filter));
        }
        if (image != null) {
          try {
            image.close();
          } catch (RuntimeException e) {
            System.err.println("berth bench: could not remove " + image.name() + ": " + e);
          }
        }
        if (runtime != null) {
          runtime.close();
        }
        deleteRecursively(dataDir);
      } finally {
        done.countDown();
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("berth bench: could not delete " + dir + ": " + e);
    }
  }
}
