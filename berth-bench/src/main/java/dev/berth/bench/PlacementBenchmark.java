package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.berth.agent.Agent;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * Measures placement end to end: a server in this process on a temporary store, simulated container
 * instances registered through the ECS API whose agents hold the real agent channel and report each
 * task they get as RUNNING on it, and several clients placing tasks with RunTask calls signed as
 * the AWS SDK signs them ({@link RunTaskCalls}). The agents run in this process, or in a child JVM
 * ({@link AgentsProcess}) so that each process holds one end of each channel.
 *
 * <p>Over 400 lines: one scenario's set-up, warm-up rounds, measurement and report read top to
 * bottom; the parts it can share already live apart (calls, agents, timing, report).
 */
public final class PlacementBenchmark {
  private static final String CLUSTER = "bench";
  private static final String FAMILY = "bench-placement";
  private static final String CONTAINER = "app";
  private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
  private static final List<String> RESERVED_PORTS =
      List.of("22", "2375", "2376", "51678", "51679");
  private static final int FILES_MARGIN = 32;
  static final String FILES_HINT =
      "raise the soft limit with `ulimit -n` (at most `ulimit -Hn`), or use fewer instances";

  private final int instances;
  private final int tasks;
  private final String strategy;
  private final int clients;
  private final boolean agentsProcess;
  private final int warmupTasks;
  private final int warmupRounds;

  /** Creates a benchmark placing that many tasks on that many instances with the strategy. */
  public PlacementBenchmark(int instances, int tasks, String strategy, int clients) {
    this(instances, tasks, strategy, clients, false, 0, 0);
  }

  /**
   * Creates a benchmark placing that many tasks on that many instances with the strategy, whose
   * simulated agents run in a child JVM ({@link AgentsProcess}) if {@code agentsProcess}, else in
   * this process.
   */
  public PlacementBenchmark(
      int instances, int tasks, String strategy, int clients, boolean agentsProcess) {
    this(instances, tasks, strategy, clients, agentsProcess, 0, 0);
  }

  /**
   * Creates a benchmark as above that first warms up, unmeasured, for {@code warmupRounds} rounds:
   * each places {@code warmupTasks} tasks the same way, waits until they run, stops them and waits
   * until they have stopped. The JIT compiles the server's paths during the first tens of thousands
   * of placements, which a long-running server has behind it; since RunTask carries 10 tasks a
   * call, a method run once a call reaches C2's thresholds only after some 50,000 placements.
   */
  public PlacementBenchmark(
      int instances,
      int tasks,
      String strategy,
      int clients,
      boolean agentsProcess,
      int warmupTasks,
      int warmupRounds) {
    if (instances < 1 || tasks < 1 || clients < 1 || warmupTasks < 0 || warmupRounds < 0) {
      throw new IllegalArgumentException(
          "instances, tasks and clients must be at least 1, warm-up tasks and rounds at least 0");
    }
    this.warmupTasks = warmupTasks;
    this.warmupRounds = warmupTasks == 0 ? 0 : warmupRounds;
    this.strategy = strategy.toLowerCase(Locale.ROOT);
    if (!List.of("binpack", "spread", "random").contains(this.strategy)) {
      throw new IllegalArgumentException("strategy must be binpack, spread or random: " + strategy);
    }
    this.instances = instances;
    this.tasks = tasks;
    this.clients = clients;
    this.agentsProcess = agentsProcess;
  }

  /** Runs the benchmark, printing progress and then the JSON summary as the last line. */
  public void run(PrintStream out) throws Exception {
    Path dataDir = Files.createTempDirectory("berth-bench-placement-");
    ServerConfig config = ServerConfig.onLoopback(dataDir, List.of());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<EcsClient> ecs = new ArrayList<>();
    AgentFleet fleet = null;
    AgentsProcess child = null;
    try (BerthServer server = BerthServer.start(config);
        HeapSampler heap = new HeapSampler()) {
      AwsCredentialsProvider credentials = credentials(server);
      URI endpoint = URI.create(server.endpoint());
      for (int i = 0; i < clients; i++) {
        ecs.add(client(endpoint, credentials));
      }
      EcsClient admin = ecs.get(0);
      admin.createCluster(r -> r.clusterName(CLUSTER));
      admin.registerTaskDefinition(
          r ->
              r.family(FAMILY)
                  .containerDefinitions(
                      c -> c.name(CONTAINER).image("busybox:latest").cpu(128).memory(256)));

      // Registering thousands of instances takes a while: first check their channels fit.
      if (agentsProcess) {
        requireOpenFiles(instances, "the server's ends of " + instances + " agent channels");
      } else {
        requireOpenFiles(
            2L * instances,
            "both ends of "
                + instances
                + " agent channels in one process (--agents-process puts the agents' ends in a"
                + " process of their own)");
      }
      long started = System.nanoTime();
      List<String> arns = register(pool, ecs);
      out.printf("registered %d instances in %d ms%n", arns.size(), millisSince(started));

      LongSupplier acknowledged;
      LongSupplier refused;
      LongSupplier agentsCpuNanos;
      started = System.nanoTime();
      if (agentsProcess) {
        child =
            AgentsProcess.start(endpoint, credentials, CLUSTER, CONTAINER, arns, warmupRounds > 0);
        acknowledged = child::acknowledged;
        refused = child::refused;
        agentsCpuNanos = child::cpuNanos;
        out.printf(
            "opened %d agent channels in a child process in %d ms%n",
            child.channels(), millisSince(started));
      } else {
        fleet = new AgentFleet();
        fleet.connect(endpoint, credentials, CLUSTER, CONTAINER, arns);
        acknowledged = fleet::acknowledged;
        refused = fleet::refused;
        agentsCpuNanos = () -> 0;
        out.printf("opened %d agent channels in %d ms%n", fleet.size(), millisSince(started));
      }

      for (int round = 1; round <= warmupRounds; round++) {
        started = System.nanoTime();
        long compilingBefore = compilingMillis();
        long warmedUp = warmUp(endpoint, credentials, pool, ecs, acknowledged, child);
        out.printf(
            "warm-up round %d of %d: placed %d tasks, ran and stopped them in %d ms, the JIT"
                + " compiling for %d ms%n",
            round,
            warmupRounds,
            warmedUp,
            millisSince(started),
            compilingMillis() - compilingBefore);
      }
      // Reports of the warm-up's tasks are not this run's.
      long acknowledgedBefore = acknowledged.getAsLong();
      Histogram latency;
      long placed;
      long failures;
      long clientsCpuNanos;
      long cpuStarted = processCpuNanos();
      long compilingStarted = compilingMillis();
      long agentsCpuStarted = agentsCpuNanos.getAsLong();
      long runStarted = System.nanoTime();
      try (SignedEcsCaller caller =
          new SignedEcsCaller(endpoint, ServerConfig.DEFAULT_REGION, credentials)) {
        RunTaskCalls calls = new RunTaskCalls(caller, runTaskRequest(), tasks, System.err);
        long clientsCpuStarted = caller.cpuNanos();
        latency = calls.run(clients);
        clientsCpuNanos = caller.cpuNanos() - clientsCpuStarted;
        placed = calls.placed();
        failures = calls.failures();
      }
      long runNanos = System.nanoTime() - runStarted;
      long cpuNanos = processCpuNanos() - cpuStarted;
      long compiling = compilingMillis() - compilingStarted;
      // CPU time per placement (server, clients and agents together) varies far less than
      // throughput when other processes share the machine.
      out.printf(
          "placed %d tasks (%d failures) in %d ms, using %d ms of CPU (%d us a task, %d us of it"
              + " the RunTask clients', the JIT compiling for %d ms); load average %.2f%n",
          placed,
          failures,
          runNanos / 1_000_000,
          cpuNanos / 1_000_000,
          cpuNanos / 1_000 / Math.max(1, placed),
          clientsCpuNanos / 1_000 / Math.max(1, placed),
          compiling,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      LongSupplier running = () -> acknowledged.getAsLong() - acknowledgedBefore;
      awaitReports(running, placed, child);
      long allRunningMs = millisSince(runStarted);
      out.printf(
          "%d of %d tasks RUNNING %d ms after the first RunTask (%d reports refused)%n",
          running.getAsLong(), placed, allRunningMs, refused.getAsLong());
      long agentsCpu = agentsCpuNanos.getAsLong() - agentsCpuStarted;
      if (child != null) {
        out.printf(
            "the agents process used %d ms of CPU (%d us a task) until then%n",
            agentsCpu / 1_000_000, agentsCpu / 1_000 / Math.max(1, placed));
      }

      ObjectNode summary = Json.object();
      summary.put("instances", instances);
      summary.put("tasks", tasks);
      summary.put("strategy", strategy);
      summary.put("placementsPerSecond", Math.round(placed / (runNanos / 1e9)));
      summary.put("runTaskP50Ms", round(latency.getValueAtPercentile(50) / 1e6));
      summary.put("runTaskP99Ms", round(latency.getValueAtPercentile(99) / 1e6));
      summary.put("timeToAllRunningMs", running.getAsLong() >= placed ? allRunningMs : -1);
      summary.put("peakHeapMiB", heap.peakMiB());
      summary.put("cpuUsPerTask", cpuNanos / 1_000 / Math.max(1, placed));
      // The part of cpuUsPerTask that the benchmark's own RunTask clients used.
      summary.put("clientsCpuUsPerTask", clientsCpuNanos / 1_000 / Math.max(1, placed));
      summary.put("agentsProcess", agentsProcess);
      summary.put("warmupTasks", warmupTasks);
      summary.put("warmupRounds", warmupRounds);
      // How much compiling the JIT still did while the tasks were placed: how warm the run was.
      summary.put("jitCompilingMs", compiling);
      if (child != null) {
        summary.put("agentsCpuUsPerTask", agentsCpu / 1_000 / Math.max(1, placed));
        summary.put("agentsPeakHeapMiB", child.peakHeapMiB());
      }
      summary.put(
          "loadAverage",
          round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      out.println(summary);
    } finally {
      if (child != null) {
        child.close();
      }
      if (fleet != null) {
        fleet.close();
      }
      ecs.forEach(EcsClient::close);
      pool.shutdownNow();
      deleteRecursively(dataDir);
    }
  }

  /**
   * Places the warm-up's tasks with the benchmark's own calls, waits until the agents have reported
   * them RUNNING, stops every one with StopTask through the SDK clients and waits until the agents
   * have reported them STOPPED, so the fleet is empty again; returns how many were placed.
   */
  private long warmUp(
      URI endpoint,
      AwsCredentialsProvider credentials,
      ExecutorService pool,
      List<EcsClient> ecs,
      LongSupplier acknowledged,
      AgentsProcess child)
      throws Exception {
    long before = acknowledged.getAsLong();
    long placed;
    try (SignedEcsCaller caller =
        new SignedEcsCaller(endpoint, ServerConfig.DEFAULT_REGION, credentials)) {
      RunTaskCalls calls = new RunTaskCalls(caller, runTaskRequest(), warmupTasks, System.err);
      calls.run(clients);
      placed = calls.placed();
    }
    awaitReports(() -> acknowledged.getAsLong() - before, placed, child);
    List<String> arns = new ArrayList<>();
    ecs.get(0)
        .listTasksPaginator(r -> r.cluster(CLUSTER))
        .forEach(page -> arns.addAll(page.taskArns()));
    inParallel(
        pool,
        ecs,
        arns.size(),
        (client, i) ->
            client.stopTask(r -> r.cluster(CLUSTER).task(arns.get(i)).reason("Warm-up over")));
    awaitReports(() -> acknowledged.getAsLong() - before, placed + arns.size(), child);
    return placed;
  }

  /** One index's work, done through one of the benchmark's clients. */
  @FunctionalInterface
  interface ClientCall {
    /** Does the work of that index through the client. */
    void call(EcsClient client, int index) throws Exception;
  }

  /**
   * Does the work of every index below {@code count}, spread over the clients: one pool task a
   * client, each taking the next index until none remain; returns once all are done, or throws the
   * first failure.
   */
  static void inParallel(ExecutorService pool, List<EcsClient> ecs, int count, ClientCall call)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (EcsClient client : ecs) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  call.call(client, i);
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
  }

  /**
   * Waits, for at most ten minutes, until the agents have had that many reports answered; fails if
   * the agents process ends first.
   */
  private static void awaitReports(LongSupplier answered, long expected, AgentsProcess child)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (answered.getAsLong() < expected
        && System.nanoTime() < deadline
        && (child == null || child.alive())) {
      Thread.sleep(5);
    }
    if (child != null && !child.alive()) {
      throw new IllegalStateException("the agents process ended early; its messages are above");
    }
  }

  private List<String> register(ExecutorService pool, List<EcsClient> ecs) throws Exception {
    return register(pool, ecs, CLUSTER, instances);
  }

  /**
   * Registers that many simulated instances (4,096 CPU units, 16,384 MiB, spread over three zones)
   * in the cluster through the clients in parallel; returns their ARNs.
   */
  static List<String> register(
      ExecutorService pool, List<EcsClient> ecs, String cluster, int instances) throws Exception {
    String[] arns = new String[instances];
    inParallel(
        pool,
        ecs,
        instances,
        (client, index) ->
            arns[index] =
                client
                    .registerContainerInstance(
                        r ->
                            r.cluster(cluster)
                                .totalResources(resources())
                                .attributes(attributes(ZONES.get(index % ZONES.size())))
                                .versionInfo(
                                    v ->
                                        v.agentVersion("berth-bench")
                                            .agentHash("bench")
                                            .dockerVersion("DockerVersion: 28.0.0")))
                    .containerInstance()
                    .containerInstanceArn());
    return List.of(arns);
  }

  /** Returns RunTask's input for the benchmark's tasks, without their count. */
  private ObjectNode runTaskRequest() {
    ObjectNode request = Json.object();
    request.put("cluster", CLUSTER);
    request.put("taskDefinition", FAMILY);
    request.set("placementStrategy", placementStrategy());
    return request;
  }

  /** Returns the request's placementStrategy member for the benchmark's strategy. */
  private ArrayNode placementStrategy() {
    ArrayNode placement = Json.array();
    switch (strategy) {
      case "binpack" -> placement.addObject().put("type", "binpack").put("field", "memory");
      case "spread" -> {
        placement.addObject().put("type", "spread").put("field", "attribute:ecs.availability-zone");
        placement.addObject().put("type", "spread").put("field", "instanceId");
      }
      default -> placement.addObject().put("type", "random");
    }
    return placement;
  }

  static List<Resource> resources() {
    return List.of(
        Resource.builder().name("CPU").type("INTEGER").integerValue(4096).build(),
        Resource.builder().name("MEMORY").type("INTEGER").integerValue(16384).build(),
        Resource.builder().name("PORTS").type("STRINGSET").stringSetValue(RESERVED_PORTS).build(),
        Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build());
  }

  /** Returns the attributes a Berth agent on Docker 28 (API 1.48) registers, in the zone. */
  static List<Attribute> attributes(String zone) {
    return Agent.attributes("bench.simulated", zone, "x86_64", "1.48");
  }

  /** Returns the credentials of the server's own access key, as local mode writes them. */
  static AwsCredentialsProvider credentials(BerthServer server) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            server.accessKey().accessKeyId(), server.accessKey().secretAccessKey()));
  }

  /** Returns an SDK client of the server that signs with its own access key. */
  static EcsClient client(BerthServer server) {
    return client(URI.create(server.endpoint()), credentials(server));
  }

  static EcsClient client(URI endpoint, AwsCredentialsProvider credentials) {
    return EcsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Fails with a message naming {@code ulimit -n} unless this process may open that many more files
   * (and a margin) within its limit; {@code purpose} says what they are for.
   */
  static void requireOpenFiles(long needed, String purpose) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
      long open = os.getOpenFileDescriptorCount();
      long limit = os.getMaxFileDescriptorCount();
      if (open + needed + FILES_MARGIN > limit) {
        throw new IllegalStateException(
            String.format(
                "%s need %d open files, and this process has %d open of its limit of %d"
                    + " (keeping %d spare): %s",
                purpose, needed, open, limit, FILES_MARGIN, FILES_HINT));
      }
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /**
   * Returns the time this process's JIT compiler threads have spent compiling so far, in
   * milliseconds, or 0 if the JVM does not tell.
   */
  private static long compilingMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
