package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.api.RequestContext;
import dev.berth.server.discovery.ServiceDiscovery;
import dev.berth.server.dns.DnsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Measures the DNS server's queries per second over UDP: a server in this process with a private
 * DNS namespace whose service has A and SRV records for a few instances, and client threads that
 * each keep a window of queries in flight on their own UDP socket, alternating A and SRV queries.
 * Beside the rate it reports the CPU time the server's DNS threads spent per query, since the
 * clients share the machine's cores with the server.
 */
public final class DnsBenchmark {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(200);

  private final int clients;
  private final int window;
  private final int instances;
  private final Duration warmup;
  private final Duration duration;

  /** Creates a benchmark with that many client threads, each with that many queries in flight. */
  public DnsBenchmark(int clients, int window, int instances, Duration warmup, Duration duration) {
    if (clients < 1 || window < 1 || instances < 1) {
      throw new IllegalArgumentException("clients, window and instances must be at least 1");
    }
    this.clients = clients;
    this.window = window;
    this.instances = instances;
    this.warmup = warmup;
    this.duration = duration;
  }

  /** Runs the benchmark and prints what it measured, then the JSON summary as the last line. */
  public void run(PrintStream out) throws Exception {
    Path dataDir = Files.createTempDirectory("berth-bench-");
    ServerConfig config =
        ServerConfig.onLoopback(dataDir, List.of())
            .withDnsAddress(new InetSocketAddress("127.0.0.1", 0));
    try (BerthServer server = BerthServer.start(config)) {
      populate(server);
      InetSocketAddress target = server.dnsAddress();
      byte[][] queries = {query("web.bench.local.", Type.A), query("web.bench.local.", Type.SRV)};
      LongAdder answered = new LongAdder();
      LongAdder failed = new LongAdder();
      AtomicBoolean running = new AtomicBoolean(true);
      CountDownLatch done = new CountDownLatch(clients);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        threads.add(
            Thread.ofPlatform()
                .name("bench-dns-client-" + i)
                .daemon()
                .start(() -> drive(target, queries, answered, failed, running, done)));
      }
      Thread.sleep(warmup.toMillis());
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long serverCpuBefore = serverCpuNanos(mx);
      long processCpuBefore = processCpuNanos();
      long answeredBefore = answered.sum();
      long failedBefore = failed.sum();
      long start = System.nanoTime();
      Thread.sleep(duration.toMillis());
      long elapsed = System.nanoTime() - start;
      long count = answered.sum() - answeredBefore;
      long lost = failed.sum() - failedBefore;
      long serverCpu = serverCpuNanos(mx) - serverCpuBefore;
      long processCpu = processCpuNanos() - processCpuBefore;
      running.set(false);
      done.await();
      for (Thread thread : threads) {
        thread.join();
      }

      double seconds = elapsed / 1e9;
      double qps = count / seconds;
      double serverCores = serverCpu / (double) elapsed;
      ObjectNode summary = Json.object();
      summary.put("benchmark", "dns");
      summary.put("clients", clients);
      summary.put("window", window);
      summary.put("instances", instances);
      summary.put("serverThreads", Runtime.getRuntime().availableProcessors());
      summary.put("cores", Runtime.getRuntime().availableProcessors());
      summary.put("durationSeconds", duration.toSeconds());
      summary.put("queries", count);
      summary.put("lost", lost);
      summary.put("queriesPerSecond", Math.round(qps));
      summary.put("serverCpuMicrosPerQuery", round(serverCpu / 1e3 / Math.max(1, count)));
      summary.put("serverCoresBusy", round(serverCores));
      summary.put("queriesPerServerCpuSecond", Math.round(count / (serverCpu / 1e9)));
      summary.put("processCoresBusy", round(processCpu / (double) elapsed));
      out.printf(
          "DNS over UDP: %,.0f queries/s with %d clients x %d in flight; server threads used %.2f"
              + " cores, %.2f us CPU per query (%,.0f queries per server CPU second)%n",
          qps,
          clients,
          window,
          serverCores,
          serverCpu / 1e3 / Math.max(1, count),
          count / (serverCpu / 1e9));
      out.println(summary);
    } finally {
      deleteQuietly(dataDir);
    }
  }

  private void populate(BerthServer server) {
    ServiceDiscovery cloudMap = server.discovery();
    RequestContext context =
        new RequestContext(
            "bench", ServerConfig.DEFAULT_REGION, ServerConfig.DEFAULT_ACCOUNT, "bench");
    ObjectNode namespace = Json.object().put("Name", "bench.local").put("Vpc", "vpc-bench");
    String operationId =
        call(cloudMap, "CreatePrivateDnsNamespace", namespace, context).get("OperationId").asText();
    String namespaceId =
        call(cloudMap, "GetOperation", Json.object().put("OperationId", operationId), context)
            .path("Operation")
            .path("Targets")
            .path("NAMESPACE")
            .asText();
    ObjectNode service = Json.object().put("Name", "web").put("NamespaceId", namespaceId);
    ObjectNode dns = service.putObject("DnsConfig");
    dns.put("RoutingPolicy", "MULTIVALUE");
    dns.putArray("DnsRecords").add(record("A")).add(record("SRV"));
    String serviceArn =
        call(cloudMap, "CreateService", service, context).path("Service").path("Arn").asText();
    for (int i = 1; i <= instances; i++) {
      cloudMap
          .registry()
          .register(
              serviceArn,
              "task-" + i,
              "10.0." + (i / 250) + "." + (i % 250 + 1),
              8000 + i,
              Map.of())
          .join();
    }
  }

  private static ObjectNode record(String type) {
    return Json.object().put("Type", type).put("TTL", 10);
  }

  private static JsonNode call(
      ServiceDiscovery cloudMap, String operation, ObjectNode input, RequestContext context) {
    return cloudMap.invoke(operation, input, context).join();
  }

  private void drive(
      InetSocketAddress target,
      byte[][] queries,
      LongAdder answered,
      LongAdder failed,
      AtomicBoolean running,
      CountDownLatch done) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(target);
      socket.setSoTimeout((int) RECEIVE_TIMEOUT.toMillis());
      byte[] buffer = new byte[1232];
      DatagramPacket received = new DatagramPacket(buffer, buffer.length);
      int next = 0;
      for (int i = 0; i < window; i++) {
        send(socket, queries, next++);
      }
      while (running.get()) {
        try {
          received.setLength(buffer.length);
          socket.receive(received);
          // RCODE NOERROR with answers: the low four bits of byte 3, ANCOUNT in bytes 6-7.
          if ((buffer[3] & 0x0f) == 0 && (buffer[6] | buffer[7]) != 0) {
            answered.increment();
          } else {
            failed.increment();
          }
          send(socket, queries, next++);
        } catch (SocketTimeoutException e) {
          // Datagrams were dropped: count the window as lost and fill it again.
          failed.add(window);
          for (int i = 0; i < window; i++) {
            send(socket, queries, next++);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("DNS client failed", e);
    } finally {
      done.countDown();
    }
  }

  private static void send(DatagramSocket socket, byte[][] queries, int sequence)
      throws IOException {
    byte[] query = queries[sequence & 1].clone();
    query[0] = (byte) (sequence >> 8);
    query[1] = (byte) sequence;
    socket.send(new DatagramPacket(query, query.length));
  }

  private static byte[] query(String name, int type) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
  }

  private static long serverCpuNanos(ThreadMXBean mx) {
    long total = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(DnsServer.THREAD_PREFIX)) {
        long cpu = mx.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
