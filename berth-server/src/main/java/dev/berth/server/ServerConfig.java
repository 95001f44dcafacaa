package dev.berth.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * How a Berth server runs: where its data lives, where it listens, the account its ARNs name, the
 * region and clusters it creates at start, the request size limit and its clock.
 */
public record ServerConfig(
    Path dataDir,
    String bindAddress,
    int port,
    String accountId,
    String region,
    List<String> defaultClusters,
    int maxBodyBytes,
    Clock clock) {
  /** The default account id in ARNs. */
  public static final String DEFAULT_ACCOUNT = "000000000000";

  /** The default region, where local mode's default cluster lives. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The default limit on a request body: far above ECS's largest requests. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** Creates a configuration, checking each part. */
  public ServerConfig {
    requireNonNull(dataDir);
    requireNonNull(bindAddress);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (!accountId.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
    }
    requireNonNull(region);
    defaultClusters = List.copyOf(defaultClusters);
    requireNonNull(clock);
  }

  /** Returns local mode's configuration: loopback, the default cluster, the system clock. */
  public static ServerConfig local(Path dataDir, int port) {
    return new ServerConfig(
        dataDir,
        "127.0.0.1",
        port,
        DEFAULT_ACCOUNT,
        DEFAULT_REGION,
        List.of("default"),
        DEFAULT_MAX_BODY_BYTES,
        Clock.systemUTC());
  }
}
