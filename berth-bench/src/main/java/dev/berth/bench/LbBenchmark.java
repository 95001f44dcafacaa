package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.api.RequestContext;
import dev.berth.server.elb.ElbService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compares Berth's load balancer with nginx as a reverse proxy in front of the same backend (an
 * nginx answering a short body), both with keep-alive to the backend, driven by wrk with the same
 * connections and duration, in alternating rounds so that both share the machine's noise.
 */
public final class LbBenchmark {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern LATENCY = Pattern.compile("Latency\\s+([0-9.]+\\w+)");

  private final int connections;
  private final int threads;
  private final Duration duration;
  private final int rounds;

  /** Creates a benchmark of that many wrk connections and threads, and rounds of that duration. */
  public LbBenchmark(int connections, int threads, Duration duration, int rounds) {
    this.connections = connections;
    this.threads = threads;
    this.duration = duration;
    this.rounds = rounds;
  }

  /** Runs the rounds, printing each, then the JSON summary with the ratio of the medians. */
  public void run(PrintStream out) throws Exception {
    require("nginx", "-v");
    require("wrk", "-v");
    Path dir = Files.createTempDirectory("berth-bench-lb-");
    int backendPort = freePort();
    int nginxPort = freePort();
    List<Process> processes = new ArrayList<>();
    BerthServer server = null;
    try {
      processes.add(
          nginx(dir, "backend", "return 200 \"hello from the backend\\n\";", backendPort, ""));
      processes.add(
          nginx(
              dir,
              "proxy",
              "proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\";"
                  + " proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
              nginxPort,
              "upstream backend { server 127.0.0.1:" + backendPort + "; keepalive 128; }"));
      waitForPort(backendPort);
      waitForPort(nginxPort);

      server = BerthServer.start(ServerConfig.onLoopback(dir.resolve("berth"), List.of()));
      int berthPort = freePort();
      configure(server.elb(), backendPort, berthPort);
      waitForPort(berthPort);
      Thread.sleep(500);

      out.printf(
          "wrk -t%d -c%d -d%ds, %d rounds; backend nginx on :%d%n",
          threads, connections, duration.toSeconds(), rounds, backendPort);
      wrk(nginxPort, Duration.ofSeconds(5));
      wrk(berthPort, Duration.ofSeconds(5));
      List<Double> nginxRates = new ArrayList<>();
      List<Double> berthRates = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String nginx = wrk(nginxPort, duration);
        String berth = wrk(berthPort, duration);
        nginxRates.add(rate(nginx));
        berthRates.add(rate(berth));
        out.printf(
            "round %d: nginx %.0f req/s (latency %s), berth %.0f req/s (latency %s), ratio %.2f%n",
            round,
            rate(nginx),
            latency(nginx),
            rate(berth),
            latency(berth),
            rate(berth) / rate(nginx));
      }
      double nginxMedian = median(nginxRates);
      double berthMedian = median(berthRates);
      out.printf(
          "{\"benchmark\":\"lb\",\"connections\":%d,\"threads\":%d,\"durationSeconds\":%d,"
              + "\"nginxRequestsPerSecond\":%.0f,\"berthRequestsPerSecond\":%.0f,\"ratio\":%.3f}%n",
          connections,
          threads,
          duration.toSeconds(),
          nginxMedian,
          berthMedian,
          berthMedian / nginxMedian);
    } finally {
      if (server != null) {
        server.close();
      }
      for (Process process : processes) {
        process.destroy();
        process.waitFor();
      }
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void configure(ElbService elb, int backendPort, int listenerPort) {
    RequestContext context =
        new RequestContext(
            "bench", ServerConfig.DEFAULT_REGION, ServerConfig.DEFAULT_ACCOUNT, "bench");
    ObjectNode lb = Json.object().put("Name", "bench");
    String lbArn =
        call(elb, "CreateLoadBalancer", lb, context)
            .at("/LoadBalancers/0/LoadBalancerArn")
            .asText();
    ObjectNode group =
        Json.object()
            .put("Name", "bench")
            .put("Protocol", "HTTP")
            .put("Port", backendPort)
            .put("TargetType", "ip")
            .put("HealthCheckIntervalSeconds", 5)
            .put("HealthCheckTimeoutSeconds", 2);
    String groupArn =
        call(elb, "CreateTargetGroup", group, context)
            .at("/TargetGroups/0/TargetGroupArn")
            .asText();
    ObjectNode targets = Json.object().put("TargetGroupArn", groupArn);
    targets.putArray("Targets").addObject().put("Id", "127.0.0.1").put("Port", backendPort);
    call(elb, "RegisterTargets", targets, context);
    ObjectNode listener =
        Json.object()
            .put("LoadBalancerArn", lbArn)
            .put("Protocol", "HTTP")
            .put("Port", listenerPort);
    listener
        .putArray("DefaultActions")
        .addObject()
        .put("Type", "forward")
        .put("TargetGroupArn", groupArn);
    call(elb, "CreateListener", listener, context);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!elb.targetGroups().health(groupArn, "127.0.0.1", backendPort).isHealthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the backend never became healthy");
      }
      sleep(100);
    }
  }

  private static JsonNode call(
      ElbService elb, String operation, ObjectNode input, RequestContext context) {
    return elb.invoke(operation, input, context).join();
  }

  private Process nginx(Path dir, String name, String location, int port, String http)
      throws IOException {
    Path prefix = Files.createDirectories(dir.resolve(name));
    String config =
        """
        worker_processes 2;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          keepalive_requests 1000000;
          %2$s
          server {
            listen 127.0.0.1:%3$d;
            location / { %4$s }
          }
        }
        """
            .formatted(prefix, http, port, location);
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    return new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", file.toString())
        .redirectErrorStream(true)
        .redirectOutput(prefix.resolve("stdout.log").toFile())
        .start();
  }

  private String wrk(int port, Duration length) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + length.toSeconds() + "s",
                "--latency",
                "http://127.0.0.1:" + port + "/")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + output);
    }
    if (output.contains("Non-2xx") || output.contains("Socket errors")) {
      throw new IllegalStateException("wrk saw errors on port " + port + ":\n" + output);
    }
    return output;
  }

  private static double rate(String wrkOutput) {
    Matcher matcher = RATE.matcher(wrkOutput);
    if (!matcher.find()) {
      throw new IllegalStateException("no rate in wrk's output:\n" + wrkOutput);
    }
    return Double.parseDouble(matcher.group(1));
  }

  private static String latency(String wrkOutput) {
    Matcher matcher = LATENCY.matcher(wrkOutput);
    return matcher.find() ? matcher.group(1) : "?";
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static void require(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(
          command[0]
              + " is needed for this benchmark (Debian: apt-get install "
              + command[0]
              + ")");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void waitForPort(int port) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("nothing listens on port " + port);
        }
        sleep(50);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
