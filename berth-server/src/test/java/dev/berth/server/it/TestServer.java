package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.ecs.EcsService;
import dev.berth.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A Berth server started in-process on a free loopback port over a temporary data directory, and
 * AWS SDK clients pointed at it; closing it stops the server and deletes the directory.
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final BerthServer server;
  private final EcsClient ecs;

  private TestServer(Path dataDir, BerthServer server) {
    this.dataDir = dataDir;
    this.server = server;
    this.ecs = ecs(Region.US_EAST_1);
  }

  /** Starts a server like local mode's, with its default cluster in us-east-1. */
  public static TestServer start() {
    try {
      Path dir = Files.createTempDirectory("berth-test-");
      return start(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server over an existing data directory (to test restarts). */
  public static TestServer start(Path dataDir) {
    return start(dataDir, false);
  }

  /**
   * Starts a server over a data directory; with dns, its DNS server listens on a free loopback port
   * ({@link BerthServer#dnsAddress()}).
   */
  public static TestServer start(Path dataDir, boolean dns) {
    return start(dataDir, dns, UnaryOperator.identity());
  }

  /** Starts a server over a data directory whose store is wrapped as given (to make it fail). */
  public static TestServer start(Path dataDir, UnaryOperator<Store> storeWrapper) {
    return start(dataDir, false, storeWrapper);
  }

  /** Starts a server over a data directory, with dns or not, whose store is wrapped as given. */
  public static TestServer start(Path dataDir, boolean dns, UnaryOperator<Store> storeWrapper) {
    ServerConfig config =
        new ServerConfig(
            dataDir,
            "127.0.0.1",
            0,
            ServerConfig.DEFAULT_ACCOUNT,
            ServerConfig.DEFAULT_REGION,
            List.of("default"),
            ServerConfig.DEFAULT_MAX_BODY_BYTES,
            Clock.systemUTC());
    if (dns) {
      config = config.withDnsAddress(new java.net.InetSocketAddress("127.0.0.1", 0));
    }
    // On port 0 the DNS server itself tries a fresh port when TCP loses the UDP port's number.
    try {
      return new TestServer(dataDir, BerthServer.start(config, storeWrapper));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns the ECS client for us-east-1, signed with the server's access key. */
  public EcsClient ecs() {
    return ecs;
  }

  /** Returns a new ECS client for a region; the caller closes it. */
  public EcsClient ecs(Region region) {
    return EcsClient.builder()
        .endpointOverride(endpoint())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Returns the endpoint URI. */
  public URI endpoint() {
    return URI.create(server.endpoint());
  }

  /** Returns the running server. */
  public BerthServer server() {
    return server;
  }

  /** Returns the running server's ECS service. */
  public EcsService ecsService() {
    return server.ecs();
  }

  /** Marks a container instance's agent connected or not, as the agent channel does. */
  public void setAgentConnected(String containerInstanceArn, boolean connected) {
    ecsService().agentFacing().setAgentConnected(containerInstanceArn, connected);
  }

  /** Returns the data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the server but keeps the data directory. */
  public void stop() {
    ecs.close();
    server.close();
  }

  @Override
  public void close() {
    stop();
    deleteRecursively(dataDir);
  }

  /** Deletes a directory tree, ignoring what is already gone. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
