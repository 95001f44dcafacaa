package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.proxy.LbSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidConfigurationRequestException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * A Berth server in-process on loopback with the ELBv2 client pointed at it, its load balancer
 * answering 504 after a short target timeout so tests need not wait ELB's minute.
 */
final class ElbServer implements AutoCloseable {
  static final Duration TARGET_TIMEOUT = Duration.ofSeconds(6);

  /** How many free ports a listener is tried on before its creation counts as failed. */
  private static final int LISTENER_ATTEMPTS = 20;

  private final Path dataDir;
  private BerthServer server;
  private ElasticLoadBalancingV2Client elb;

  private ElbServer(Path dataDir) {
    this.dataDir = dataDir;
    start();
  }

  /** Starts a server over a new temporary data directory. */
  static ElbServer start(String name) {
    try {
      return new ElbServer(Files.createTempDirectory("berth-" + name + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start() {
    ServerConfig config =
        new ServerConfig(
                dataDir,
                "127.0.0.1",
                0,
                ServerConfig.DEFAULT_ACCOUNT,
                ServerConfig.DEFAULT_REGION,
                List.of("default"),
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                Clock.systemUTC())
            .withLoadBalancing(LbSettings.local().withTargetTimeout(TARGET_TIMEOUT));
    try {
      server = BerthServer.start(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    elb = client(Region.US_EAST_1);
  }

  /** Stops the server and starts it again over the same data directory. */
  void restart() {
    elb.close();
    server.close();
    start();
  }

  /** Returns the ELBv2 client for us-east-1. */
  ElasticLoadBalancingV2Client elb() {
    return elb;
  }

  /** Returns a new ELBv2 client for a region; the caller closes it. */
  ElasticLoadBalancingV2Client client(Region region) {
    return ElasticLoadBalancingV2Client.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Returns the running server. */
  BerthServer server() {
    return server;
  }

  /**
   * Creates a listener on a loopback port that is free, and returns it. A port found free can be
   * taken by another test before the listener binds it, which the server refuses as "Port N is in
   * use"; then the listener is asked for again on another free port, so that no test depends on
   * winning that race.
   */
  static Listener createListener(
      ElasticLoadBalancingV2Client elb, Consumer<CreateListenerRequest.Builder> request) {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      try {
        return elb.createListener(b -> request.accept(b.port(port))).listeners().get(0);
      } catch (InvalidConfigurationRequestException e) {
        if (attempt == LISTENER_ATTEMPTS || !e.getMessage().contains("is in use")) {
          throw e;
        }
      }
    }
  }

  /** Returns a port that was free on loopback a moment ago. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    elb.close();
    server.close();
    TestServer.deleteRecursively(dataDir);
  }
}
