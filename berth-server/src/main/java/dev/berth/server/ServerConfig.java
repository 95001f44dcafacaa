package dev.berth.server;

import static java.util.Objects.requireNonNull;

import dev.berth.api.agent.AgentChannel;
import dev.berth.server.proxy.LbSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How a Berth server runs: where its data lives, where it listens, the account its ARNs name, the
 * region and clusters it creates at start, the request size limit and its clock, where its DNS
 * server for Cloud Map's private namespaces listens (null: no DNS server), and the built-in load
 * balancer's settings (by default its listeners bind to the API's address), and how the API port
 * faces the network (connection limits, TLS, extra signing regions).
 */
public record ServerConfig(
    Path dataDir,
    String bindAddress,
    int port,
    String accountId,
    String region,
    List<String> defaultClusters,
    int maxBodyBytes,
    Clock clock,
    Duration agentHeartbeatTimeout,
    InetSocketAddress dnsAddress,
    LbSettings loadBalancing,
    ApiSettings api) {
  /** The default account id in ARNs. */
  public static final String DEFAULT_ACCOUNT = "000000000000";

  /** The default region, where local mode's default cluster lives. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The default limit on a request body: far above ECS's largest requests. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** How long an agent may stay silent on its channel before its instance is disconnected. */
  public static final Duration DEFAULT_AGENT_HEARTBEAT_TIMEOUT =
      Duration.ofSeconds((long) AgentChannel.HEARTBEAT_SECONDS * AgentChannel.MISSED_HEARTBEATS);

  /** The DNS server's port in local mode, and the default of berth server. */
  public static final int DEFAULT_DNS_PORT = 4753;

  /** How often the service scheduler compares every service with its tasks. */
  public static final Duration SERVICE_SCHEDULER_INTERVAL = Duration.ofMillis(500);

  /** Returns how often the service scheduler runs its pass. */
  public Duration serviceSchedulerInterval() {
    return SERVICE_SCHEDULER_INTERVAL;
  }

  /**
   * Returns the configuration of a server on a free port of 127.0.0.1 with the data directory and
   * default clusters given, and every other setting at its default, as tests and benchmarks start
   * one in-process.
   */
  public static ServerConfig onLoopback(Path dataDir, List<String> defaultClusters) {
    return new ServerConfig(
        dataDir,
        "127.0.0.1",
        0,
        DEFAULT_ACCOUNT,
        DEFAULT_REGION,
        defaultClusters,
        DEFAULT_MAX_BODY_BYTES,
        Clock.systemUTC());
  }

  /**
   * Creates a configuration with the default agent heartbeat timeout, no DNS server, and load
   * balancer listeners on the API's bind address.
   */
  public ServerConfig(
      Path dataDir,
      String bindAddress,
      int port,
      String accountId,
      String region,
      List<String> defaultClusters,
      int maxBodyBytes,
      Clock clock) {
    this(
        dataDir,
        bindAddress,
        port,
        accountId,
        region,
        defaultClusters,
        maxBodyBytes,
        clock,
        DEFAULT_AGENT_HEARTBEAT_TIMEOUT,
        null,
        LbSettings.local().withBindAddress(bindAddress),
        ApiSettings.defaults());
  }

  /** Returns a copy with another agent heartbeat timeout. */
  public ServerConfig withAgentHeartbeatTimeout(Duration timeout) {
    return new ServerConfig(
        dataDir,
        bindAddress,
        port,
        accountId,
        region,
        defaultClusters,
        maxBodyBytes,
        clock,
        timeout,
        dnsAddress,
        loadBalancing,
        api);
  }

  /** Returns a copy whose DNS server listens at the address given (port 0: any free port). */
  public ServerConfig withDnsAddress(InetSocketAddress address) {
    return new ServerConfig(
        dataDir,
        bindAddress,
        port,
        accountId,
        region,
        defaultClusters,
        maxBodyBytes,
        clock,
        agentHeartbeatTimeout,
        address,
        loadBalancing,
        api);
  }

  /** Returns a copy with other load balancer settings. */
  public ServerConfig withLoadBalancing(LbSettings settings) {
    return new ServerConfig(
        dataDir,
        bindAddress,
        port,
        accountId,
        region,
        defaultClusters,
        maxBodyBytes,
        clock,
        agentHeartbeatTimeout,
        dnsAddress,
        settings,
        api);
  }

  /** Returns a copy whose API port has the settings given (limits, TLS, extra regions). */
  public ServerConfig withApi(ApiSettings settings) {
    return new ServerConfig(
        dataDir,
        bindAddress,
        port,
        accountId,
        region,
        defaultClusters,
        maxBodyBytes,
        clock,
        agentHeartbeatTimeout,
        dnsAddress,
        loadBalancing,
        settings);
  }

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
    requireNonNull(agentHeartbeatTimeout);
    requireNonNull(loadBalancing);
    requireNonNull(api);
  }

  /**
   * Returns local mode's configuration: loopback, the default cluster, the system clock, DNS on
   * 127.0.0.1 at the default DNS port.
   */
  public static ServerConfig local(Path dataDir, int port) {
    return new ServerConfig(
            dataDir,
            "127.0.0.1",
            port,
            DEFAULT_ACCOUNT,
            DEFAULT_REGION,
            List.of("default"),
            DEFAULT_MAX_BODY_BYTES,
            Clock.systemUTC())
        .withDnsAddress(new InetSocketAddress("127.0.0.1", DEFAULT_DNS_PORT));
  }
}
