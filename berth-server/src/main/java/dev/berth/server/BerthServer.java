package dev.berth.server;

import static java.util.Objects.requireNonNull;

import dev.berth.server.agent.AgentChannelEndpoint;
import dev.berth.server.api.ApiServer;
import dev.berth.server.api.FrontDoor;
import dev.berth.server.auth.AccessKeys;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.SecretBox;
import dev.berth.server.auth.SigV4Verifier;
import dev.berth.server.auth.SigningRegions;
import dev.berth.server.cloudwatch.CloudWatchService;
import dev.berth.server.controller.ControlLoop;
import dev.berth.server.controller.ServiceWiring;
import dev.berth.server.discovery.DiscoveryState;
import dev.berth.server.discovery.ServiceDiscovery;
import dev.berth.server.dns.DnsResponder;
import dev.berth.server.dns.DnsServer;
import dev.berth.server.dns.ZoneDirectory;
import dev.berth.server.ecs.EcsService;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.elb.ElbService;
import dev.berth.server.identity.IdentityService;
import dev.berth.server.logs.CloudWatchLogs;
import dev.berth.server.logs.LogLimits;
import dev.berth.server.logs.LogStore;
import dev.berth.server.metrics.ContainerSamples;
import dev.berth.server.metrics.EcsMetricsController;
import dev.berth.server.metrics.MetricsSettings;
import dev.berth.server.proxy.LoadBalancerPlane;
import dev.berth.server.tls.ServerCertificate;
import dev.berth.store.DataDirectory;
import dev.berth.store.MetricStore;
import dev.berth.store.SqliteMetricStore;
import dev.berth.store.SqliteStore;
import dev.berth.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * A running Berth control plane: the store, the state rebuilt from it, the access keys and the
 * front door listening for AWS requests.
 */
public final class BerthServer implements AutoCloseable {
  /** The name of the profile Berth writes into its credentials file. */
  public static final String PROFILE = "berth";

  /** The file in the data directory holding the key that seals the secrets in the store. */
  public static final String SECRET_KEY_FILE = "secret.key";

  private final ServerConfig config;
  private final Store store;
  private final ExecutorService writers;
  private final EcsState state;
  private final EcsService ecs;
  private final AccessKeys accessKeys;
  private final AccessKeys.AccessKey accessKey;
  private final ApiServer api;
  private final ServerCertificate certificate;
  private final AgentChannelEndpoint agents;
  private final ServiceDiscovery discovery;
  private final DnsServer dns;
  private final LoadBalancerPlane loadBalancer;
  private final ElbService elb;
  private final MetricStore metrics;
  private final LogStore logStore;
  private final CloudWatchLogs logs;
  private final Housekeeping housekeeping = new Housekeeping();
  // Every controller (the service scheduler today) runs in one loop; a slow pass delays its next.
  private final ControlLoop controllers = new ControlLoop(Duration.ofMinutes(1));

  private BerthServer(
      ServerConfig config, UnaryOperator<Store> storeWrapper, MetricsSettings metricsSettings)
      throws InterruptedException {
    this.config = config;
    DataDirectory.secure(config.dataDir());
    this.store = storeWrapper.apply(SqliteStore.open(config.dataDir().resolve("berth.db")));
    this.metrics = SqliteMetricStore.open(config.dataDir().resolve("metrics.db"));
    ContainerSamples samples = new ContainerSamples();
    boolean started = false;
    DnsServer startedDns = null;
    this.writers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-writer-", 0).factory());
    // Log events live in a file of their own, so their writes never queue behind, or ahead of,
    // the cluster state's commits.
    try {
      this.logStore = LogStore.open(config.dataDir(), LogLimits.defaults().maxQueuedBytes());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.loadBalancer = new LoadBalancerPlane(config.loadBalancing());
    try {
      this.state = new EcsState(store, writers);
      state.load();
      DiscoveryState discoveryState = new DiscoveryState(store, writers, new ZoneDirectory());
      discoveryState.load();
      this.discovery = new ServiceDiscovery(discoveryState, config.accountId(), config.clock());
      this.elb =
          new ElbService(store, writers, loadBalancer, this::instanceAddress, config.clock());
      this.logs = new CloudWatchLogs(logStore, config.clock(), LogLimits.defaults());
      AtomicReference<String> endpoint = new AtomicReference<>();
      // Services' loadBalancers and serviceRegistries put their tasks behind the built-in load
      // balancer and in Cloud Map.
      ServiceWiring wiring =
          new ServiceWiring(state, elb.targetGroups(), discovery.registry(), this::instanceAddress);
      this.ecs = new EcsService(state, config.clock(), endpoint::get, wiring);
      // The key that seals the store's secrets lives beside the store, not in it.
      this.accessKeys =
          new AccessKeys(
              store,
              config.clock(),
              SecretBox.openOrCreate(config.dataDir().resolve(SECRET_KEY_FILE)));
      this.accessKey = accessKeys.firstOrCreate();
      writeCredentials(config.dataDir().resolve("credentials"), accessKey);
      for (String cluster : config.defaultClusters()) {
        ecs.ensureCluster(config.region(), config.accountId(), cluster).join();
      }
      List<String> extraRegions = new java.util.ArrayList<>(config.api().extraRegions());
      // The server's own region is always one its clients may sign for.
      extraRegions.add(config.region());
      SigV4Verifier verifier =
          new SigV4Verifier(accessKeys, config.clock(), SigningRegions.awsAnd(extraRegions));
      Authority authority =
          new Authority(accessKeys, config.accountId(), ecs.agentFacing()::isDeregistered);
      // A deregistered instance's keys stop working, durably, before the deregistration answers.
      ecs.onInstanceDeregistered(accessKeys::retireInstance);
      // CloudWatch answers in both its protocols: JSON 1.0 (the AWS CLI) and Query (SDK v2).
      CloudWatchService cloudWatch = new CloudWatchService(metrics, config.clock());
      FrontDoor frontDoor =
          new FrontDoor(
              verifier,
              authority,
              config.accountId(),
              List.of(
                  ecs,
                  discovery,
                  logs,
                  new IdentityService(accessKeys, config.clock()),
                  cloudWatch),
              List.of(elb, cloudWatch));
      this.agents =
          new AgentChannelEndpoint(
              verifier,
              authority,
              config.accountId(),
              ecs.agentFacing(),
              config.agentHeartbeatTimeout(),
              config.clock(),
              samples::add);
      // A disabled, deleted or retired key closes the channel it opened, not only the next one.
      accessKeys.onRevoked(agents::keyRevoked);
      if (config.dnsAddress() != null) {
        startedDns =
            DnsServer.start(
                config.dnsAddress(),
                new DnsResponder(discoveryState.zones()),
                Runtime.getRuntime().availableProcessors());
      }
      this.dns = startedDns;
      this.certificate = certificate(config);
      this.api =
          ApiServer.start(
              new InetSocketAddress(config.bindAddress(), config.port()),
              frontDoor,
              config.maxBodyBytes(),
              config.api().limits(),
              certificate == null ? null : certificate.sslContext(),
              List.of(agents),
              new StoreHealth(store, config.clock()));
      endpoint.set(endpoint());
      // Stopped tasks stay describable for a while, as in ECS; then they are pruned.
      housekeeping.every(
          Duration.ofMinutes(1), "pruning stopped tasks", () -> ecs.pruneStoppedTasks().join());
      // Log groups' retention policies are enforced by a sweep, as CloudWatch Logs does.
      housekeeping.every(
          Duration.ofMinutes(1), "sweeping expired log events", logs::sweepRetention);
      // The service scheduler: each pass compares every service with its tasks and acts.
      controllers.add(ecs.serviceScheduler(), config.serviceSchedulerInterval());
      // ECS's metrics: once a metrics minute, agents' samples become AWS/ECS data points.
      controllers.add(
          new EcsMetricsController(
              state, samples, metrics, config.clock(), metricsSettings.minute()),
          metricsSettings.minute());
      controllers.start();
      housekeeping.every(
          Duration.ofHours(1), "pruning metric data", () -> metrics.prune(config.clock().millis()));
      started = true;
    } finally {
      if (!started) {
        if (startedDns != null) {
          startedDns.close();
        }
        loadBalancer.close();
        housekeeping.close();
        controllers.close();
        writers.shutdownNow();
        logStore.close();
        store.close();
        metrics.close();
      }
    }
  }

  /** Starts a server with the configuration given: loads its state, then listens. */
  public static BerthServer start(ServerConfig config) throws InterruptedException {
    return new BerthServer(requireNonNull(config), UnaryOperator.identity(), MetricsSettings.AWS);
  }

  /** Starts a server whose metrics run with the settings given: tests shorten the minute. */
  public static BerthServer start(ServerConfig config, MetricsSettings metrics)
      throws InterruptedException {
    return new BerthServer(
        requireNonNull(config), UnaryOperator.identity(), requireNonNull(metrics));
  }

  /**
   * Starts a server whose store is the SQLite store wrapped as given: tests wrap it in a store that
   * fails on command.
   */
  public static BerthServer start(ServerConfig config, UnaryOperator<Store> storeWrapper)
      throws InterruptedException {
    return new BerthServer(
        requireNonNull(config), requireNonNull(storeWrapper), MetricsSettings.AWS);
  }

  /** Returns the address the API listens on. */
  public InetSocketAddress address() {
    return api.address();
  }

  /** Returns the endpoint URL clients use, e.g. http://127.0.0.1:4747 or https://10.0.0.5:4747. */
  public String endpoint() {
    String scheme = certificate == null ? "http://" : "https://";
    return scheme + api.address().getHostString() + ":" + api.address().getPort();
  }

  /** Returns how many connections are open on the API port. */
  public int openConnections() {
    return api.openConnections();
  }

  /** Returns the API port's TLS certificate, or null when it speaks plain HTTP. */
  public ServerCertificate certificate() {
    return certificate;
  }

  private static ServerCertificate certificate(ServerConfig config) {
    ApiSettings.Tls tls = config.api().tls();
    if (tls == null) {
      return null;
    }
    ServerCertificate certificate =
        tls.isSelfSigned()
            ? ServerCertificate.selfSigned(config.dataDir(), List.of(config.bindAddress()))
            : ServerCertificate.fromFiles(tls.certificate(), tls.privateKey());
    LoggerFactory.getLogger(BerthServer.class)
        .info(
            "TLS certificate {}{}, SHA-256 fingerprint {}",
            certificate.certificateFile().toAbsolutePath(),
            certificate.generated() ? " (generated, self-signed)" : "",
            certificate.fingerprint());
    return certificate;
  }

  /** Returns the access key written into the credentials file. */
  public AccessKeys.AccessKey accessKey() {
    return accessKey;
  }

  /** Returns the server's access keys and activations. */
  public AccessKeys accessKeys() {
    return accessKeys;
  }

  /** Returns the path of the credentials file. */
  public Path credentialsFile() {
    return config.dataDir().resolve("credentials");
  }

  /** Returns the ECS service, for in-process callers such as tests and benchmarks. */
  public EcsService ecs() {
    return ecs;
  }

  /** Returns Cloud Map, whose {@link ServiceDiscovery#registry()} ECS services register with. */
  public ServiceDiscovery discovery() {
    return discovery;
  }

  /** Returns the address of the DNS server, UDP and TCP, or null if it does not run. */
  public InetSocketAddress dnsAddress() {
    return dns == null ? null : dns.address();
  }

  /** Returns the ELBv2 service, whose target groups ECS services register their tasks in. */
  public ElbService elb() {
    return elb;
  }

  /**
   * Resolves an instance-id target to an address: a registered container instance's agent runs on
   * this host in local mode, so it is reached on loopback. Instances on other hosts are put behind
   * the load balancer with ip targets until agents report their addresses.
   */
  private String instanceAddress(String region, String ec2InstanceId) {
    var regionState = state.existingRegion(region);
    if (regionState == null) {
      return null;
    }
    for (var cluster : regionState.clusters()) {
      for (var instance : cluster.instances().all()) {
        if (instance.ec2InstanceId().equals(ec2InstanceId)
            && !dev.berth.server.ecs.state.ContainerInstance.INACTIVE.equals(instance.status())) {
          return "127.0.0.1";
        }
      }
    }
    return null;
  }

  /** Returns the agent channel endpoint. */
  public AgentChannelEndpoint agentChannels() {
    return agents;
  }

  /** Returns the metric store CloudWatch's data lives in. */
  public MetricStore metrics() {
    return metrics;
  }

  /** Returns CloudWatch Logs, for in-process callers such as tests. */
  public CloudWatchLogs logs() {
    return logs;
  }

  /** Returns the configuration the server runs with. */
  public ServerConfig config() {
    return config;
  }

  /** Stops listening, then closes the store after what was handed to it is committed. */
  @Override
  public void close() {
    housekeeping.close();
    controllers.close();
    if (dns != null) {
      dns.close();
    }
    api.close();
    loadBalancer.close();
    writers.shutdown();
    logStore.close();
    store.close();
    metrics.close();
  }

  /** Writes the credentials file atomically, readable by its owner only. */
  static void writeCredentials(Path file, AccessKeys.AccessKey key) {
    String text =
        "["
            + PROFILE
            + "]\naws_access_key_id = "
            + key.accessKeyId()
            + "\naws_secret_access_key = "
            + key.secretAccessKey()
            + "\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
