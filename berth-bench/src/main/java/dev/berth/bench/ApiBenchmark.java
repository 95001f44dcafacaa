package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.PortMapping;

/**
 * Measures the ECS API end to end: a server in this process on a temporary SQLite store, and
 * several AWS SDK clients signing every request, as users' tools do. Each write is committed to the
 * store before it is answered.
 */
public final class ApiBenchmark {
  private final int clients;
  private final Duration warmup;
  private final Duration duration;

  /** Creates a benchmark with that many parallel clients and measured time per operation. */
  public ApiBenchmark(int clients, Duration warmup, Duration duration) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be at least 1");
    }
    this.clients = clients;
    this.warmup = warmup;
    this.duration = duration;
  }

  /** Runs the benchmark and prints one line per operation, then the JSON summary. */
  public void run(PrintStream out) throws Exception {
    Path dataDir = Files.createTempDirectory("berth-bench-");
    ServerConfig config = ServerConfig.onLoopback(dataDir, List.of());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<EcsClient> ecs = new ArrayList<>();
    try (BerthServer server = BerthServer.start(config)) {
      for (int i = 0; i < clients; i++) {
        ecs.add(PlacementBenchmark.client(server));
      }
      AtomicInteger families = new AtomicInteger();
      ObjectNode summary = Json.object();
      summary.put("clients", clients);
      summary.put("durationSeconds", duration.toSeconds());
      ArrayNode results = summary.putArray("operations");
      Result register =
          measure(
              pool,
              ecs,
              "RegisterTaskDefinition",
              client ->
                  client.registerTaskDefinition(
                      r ->
                          r.family("bench-" + (families.getAndIncrement() % 100))
                              .containerDefinitions(container())));
      Result describe =
          measure(
              pool,
              ecs,
              "DescribeTaskDefinition",
              client ->
                  client.describeTaskDefinition(
                      r -> r.taskDefinition("bench-" + (families.getAndIncrement() % 100))));
      for (Result result : List.of(register, describe)) {
        out.printf(
            "%-24s %8.0f requests/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests)%n",
            result.operation, result.perSecond, result.p50Ms, result.p99Ms, result.requests);
        ObjectNode node = results.addObject();
        node.put("operation", result.operation);
        node.put("requests", result.requests);
        node.put("requestsPerSecond", Math.round(result.perSecond));
        node.put("p50Ms", Math.round(result.p50Ms * 100) / 100.0);
        node.put("p99Ms", Math.round(result.p99Ms * 100) / 100.0);
      }
      out.println(summary);
    } finally {
      ecs.forEach(EcsClient::close);
      pool.shutdownNow();
      PlacementBenchmark.deleteRecursively(dataDir);
    }
  }

  private record Result(
      String operation, long requests, double perSecond, double p50Ms, double p99Ms) {}

  private Result measure(
      ExecutorService pool, List<EcsClient> ecs, String operation, Consumer<EcsClient> call)
      throws Exception {
    run(pool, ecs, call, warmup, null);
    Histogram histogram = new Histogram(60_000_000_000L, 3);
    long started = System.nanoTime();
    long requests = run(pool, ecs, call, duration, histogram);
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(
        operation,
        requests,
        requests / seconds,
        histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6);
  }

  private static long run(
      ExecutorService pool,
      List<EcsClient> ecs,
      Consumer<EcsClient> call,
      Duration length,
      Histogram histogram)
      throws Exception {
    long deadline = System.nanoTime() + length.toNanos();
    List<Future<Histogram>> futures = new ArrayList<>();
    for (EcsClient client : ecs) {
      futures.add(
          pool.submit(
              () -> {
                Histogram own = new Histogram(60_000_000_000L, 3);
                while (System.nanoTime() < deadline) {
                  long start = System.nanoTime();
                  call.accept(client);
                  own.recordValue(System.nanoTime() - start);
                }
                return own;
              }));
    }
    long total = 0;
    for (Future<Histogram> future : futures) {
      Histogram own = future.get();
      total += own.getTotalCount();
      if (histogram != null) {
        histogram.add(own);
      }
    }
    return total;
  }

  private static ContainerDefinition container() {
    return ContainerDefinition.builder()
        .name("web")
        .image("busybox:latest")
        .memory(128)
        .cpu(128)
        .command("httpd", "-f", "-p", "8080")
        .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).build())
        .environment(KeyValuePair.builder().name("MODE").value("bench").build())
        .build();
  }
}
