package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Measures the service scheduler at scale: a server in this process on a temporary store, simulated
 * container instances whose agents hold the real agent channel and report each task RUNNING (and
 * STOPPED once asked to stop) on that channel, then services created through the signed API; times
 * how long until every service is in its steady state, and again after UpdateService rolls every
 * one of them to a new revision.
 */
public final class ServicesBenchmark {
  private static final String CLUSTER = "bench";
  private static final String FAMILY = "bench-service";
  private static final String CONTAINER = "app";

  private final int instances;
  private final int services;
  private final int tasksPerService;
  private final int clients;

  /** Creates a benchmark of that many services of that many tasks each on that many instances. */
  public ServicesBenchmark(int instances, int services, int tasksPerService, int clients) {
    if (instances < 1 || services < 1 || tasksPerService < 1 || clients < 1) {
      throw new IllegalArgumentException("every count must be at least 1");
    }
    this.instances = instances;
    this.services = services;
    this.tasksPerService = tasksPerService;
    this.clients = clients;
  }

  /** Runs the benchmark, printing progress and then the JSON summary as the last line. */
  public void run(PrintStream out) throws Exception {
    Path dataDir = Files.createTempDirectory("berth-bench-services-");
    ServerConfig config = ServerConfig.onLoopback(dataDir, List.of());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<EcsClient> ecs = new ArrayList<>();
    // The agents' channels close before the server does.
    try (BerthServer server = BerthServer.start(config);
        HeapSampler heap = new HeapSampler();
        AgentFleet agents = new AgentFleet()) {
      AwsCredentialsProvider credentials = PlacementBenchmark.credentials(server);
      URI endpoint = URI.create(server.endpoint());
      for (int i = 0; i < clients; i++) {
        ecs.add(PlacementBenchmark.client(endpoint, credentials));
      }
      EcsClient admin = ecs.get(0);
      admin.createCluster(r -> r.clusterName(CLUSTER));
      String v1 = registerRevision(admin);

      long started = System.nanoTime();
      List<String> arns = PlacementBenchmark.register(pool, ecs, CLUSTER, instances);
      out.printf(
          "registered %d instances in %d ms%n",
          arns.size(), PlacementBenchmark.millisSince(started));

      started = System.nanoTime();
      agents.connect(endpoint, credentials, CLUSTER, CONTAINER, arns);
      out.printf(
          "opened %d agent channels in %d ms%n",
          agents.size(), PlacementBenchmark.millisSince(started));

      long cpuStarted = processCpuNanos();
      started = System.nanoTime();
      PlacementBenchmark.inParallel(
          pool,
          ecs,
          services,
          (client, i) ->
              client.createService(
                  r ->
                      r.cluster(CLUSTER)
                          .serviceName(name(i))
                          .taskDefinition(v1)
                          .desiredCount(tasksPerService)));
      long createdMs = PlacementBenchmark.millisSince(started);
      out.printf("created %d services in %d ms%n", services, createdMs);
      long steadyMs = awaitSteady(ecs, v1, started, out);
      out.printf(
          "%d services x %d tasks steady %d ms after the first CreateService%n",
          services, tasksPerService, steadyMs);

      String v2 = registerRevision(admin);
      started = System.nanoTime();
      PlacementBenchmark.inParallel(
          pool,
          ecs,
          services,
          (client, i) ->
              client.updateService(r -> r.cluster(CLUSTER).service(name(i)).taskDefinition(v2)));
      long updatedMs = PlacementBenchmark.millisSince(started);
      long rolledMs = awaitSteady(ecs, v2, started, out);
      long cpuMs = (processCpuNanos() - cpuStarted) / 1_000_000;
      out.printf(
          "rolled %d services to a new revision %d ms after the first UpdateService (CPU %d ms;"
              + " load average %.2f)%n",
          services,
          rolledMs,
          cpuMs,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      ObjectNode summary = Json.object();
      summary.put("instances", instances);
      summary.put("services", services);
      summary.put("tasksPerService", tasksPerService);
      summary.put("createServicesMs", createdMs);
      summary.put("timeToSteadyMs", steadyMs);
      summary.put("updateServicesMs", updatedMs);
      summary.put("timeToRolledOutMs", rolledMs);
      summary.put("processCpuMs", cpuMs);
      summary.put("stateChangesRefused", agents.refused());
      summary.put("peakHeapMiB", heap.peakMiB());
      out.println(summary);
    } finally {
      ecs.forEach(EcsClient::close);
      pool.shutdownNow();
      PlacementBenchmark.deleteRecursively(dataDir);
    }
  }

  private static String registerRevision(EcsClient admin) {
    return admin
        .registerTaskDefinition(
            r ->
                r.family(FAMILY)
                    .containerDefinitions(
                        c -> c.name(CONTAINER).image("busybox:latest").cpu(64).memory(128)))
        .taskDefinition()
        .taskDefinitionArn();
  }

  private static String name(int index) {
    return "svc-" + index;
  }

  /**
   * Polls DescribeServices (10 services a call) until every service has one deployment, of the
   * revision given, COMPLETED, running its desired count; returns the milliseconds since start.
   */
  private long awaitSteady(List<EcsClient> ecs, String revision, long start, PrintStream out)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    long lastReport = 0;
    while (System.nanoTime() < deadline) {
      int steady = 0;
      for (int first = 0; first < services; first += 10) {
        List<String> names = new ArrayList<>();
        for (int i = first; i < Math.min(services, first + 10); i++) {
          names.add(name(i));
        }
        for (Service service :
            ecs.get(0).describeServices(r -> r.cluster(CLUSTER).services(names)).services()) {
          if (steady(service, revision)) {
            steady++;
          }
        }
      }
      long elapsed = PlacementBenchmark.millisSince(start);
      if (steady == services) {
        return elapsed;
      }
      if (elapsed - lastReport >= 10_000) {
        lastReport = elapsed;
        out.printf("  %d of %d services steady after %d ms%n", steady, services, elapsed);
      }
      Thread.sleep(500);
    }
    return -1;
  }

  private boolean steady(Service service, String revision) {
    if (service.deployments().size() != 1) {
      return false;
    }
    Deployment deployment = service.deployments().get(0);
    return deployment.taskDefinition().equals(revision)
        && "COMPLETED".equals(deployment.rolloutStateAsString())
        && service.runningCount() == tasksPerService
        && service.pendingCount() == 0;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
