package dev.berth.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP target on a free loopback port: answers its name on any path, {@code /health} with a
 * status the test sets, {@code /slow} only when released, {@code /crash} by dropping the
 * connection; it remembers the headers of the last request.
 */
final class Backend implements AutoCloseable {
  final String name;
  final AtomicInteger healthStatus = new AtomicInteger(200);
  final AtomicInteger served = new AtomicInteger();
  final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
  volatile CountDownLatch release = new CountDownLatch(1);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  Backend(String name) {
    this.name = name;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/health")) {
      reply(exchange, healthStatus.get(), "health");
      return;
    }
    served.incrementAndGet();
    exchange
        .getRequestHeaders()
        .forEach((key, values) -> lastHeaders.put(key.toLowerCase(), values.get(0)));
    if (path.equals("/crash")) {
      // Close the socket without any answer.
      exchange.getHttpContext().getServer();
      exchange.close();
      return;
    }
    if (path.equals("/slow")) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    reply(exchange, 200, name + " " + path);
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
