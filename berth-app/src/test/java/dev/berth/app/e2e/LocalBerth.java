package dev.berth.app.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.agent.Agent;
import dev.berth.agent.AgentConfig;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.DockerTestAccess;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.metrics.MetricsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.Volume;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * Berth as local mode runs it, for one test class: a real server over a temporary data directory
 * and one in-process agent on the real Docker engine, in a cluster of the class's own (every
 * container carries its cluster as a label, so parallel classes never see each other's tasks). The
 * server runs its DNS server for Cloud Map on a free port of its own, and its load balancer's
 * listeners bind on 127.0.0.1. Tests drive it only through the AWS SDK clients (ECS, ELBv2 and
 * Cloud Map) and DNS queries; the fixture itself restarts the parts, and closing it removes every
 * container and volume of the cluster and the directory, whatever state the test left.
 */
final class LocalBerth implements AutoCloseable {
  /** The longest any wait in these tests may take, but for a process starting. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * The longest a berth process (a JVM of its own) may take to say it is up. Alone it takes about
   * 10 s, nearly all of it loading classes (the server, Netty, the AWS SDK); with every core busy
   * (the suite runs two test classes at once, each with containers and JVMs, on CI's two cores) a
   * start took more than a minute. A process that ends fails the wait at once, with its output.
   */
  static final Duration PROCESS_START = Duration.ofMinutes(3);

  static final String REGION = "us-east-1";

  // Each fixture hands out dynamic host ports from a block of its own: two agents of one JVM
  // probing the same range could both pick a port before either container binds it.
  private static final AtomicInteger PORT_BLOCKS = new AtomicInteger();
  private static final int PORT_BLOCK_SIZE = 200;
  private static final int PORT_BLOCK_COUNT = 80;
  private static final int FIRST_PORT_BLOCK = 40_000;

  private final Path dir;
  private final String cluster;
  private final UnaryOperator<URI> agentRoute;
  private final int dynamicPortFirst;
  private final DockerRuntime docker;
  private final String image;
  private BerthServer server;
  private boolean serverRunning;
  private int port;
  private int dnsPort;
  private EcsClient ecs;
  private ElasticLoadBalancingV2Client elb;
  private ServiceDiscoveryClient cloudMap;
  private Agent agent;
  private boolean agentRunning;
  private final List<Agent> otherAgents = new java.util.ArrayList<>();
  private Duration metricsMinute = MetricsSettings.AWS.minute();

  private LocalBerth(Path dir, UnaryOperator<URI> agentRoute, DockerRuntime docker, String image) {
    this.dir = dir;
    this.cluster = "e2e-" + UUID.randomUUID().toString().substring(0, 12);
    this.agentRoute = agentRoute;
    int block = PORT_BLOCKS.getAndIncrement() % PORT_BLOCK_COUNT;
    this.dynamicPortFirst = FIRST_PORT_BLOCK + block * PORT_BLOCK_SIZE;
    this.docker = docker;
    this.image = image;
  }

  /** Starts a server on a free port, creates the cluster and joins an agent to it. */
  static LocalBerth start() {
    return start(UnaryOperator.identity());
  }

  /**
   * Starts a server on a free port, creates the cluster and joins an agent to it; the agent reaches
   * the server at the endpoint the route makes of the server's own.
   */
  static LocalBerth start(UnaryOperator<URI> agentRoute) {
    return start(agentRoute, MetricsSettings.AWS.minute());
  }

  /**
   * Starts a server whose metrics minute is the one given, with an agent that publishes its samples
   * twice a minute, so that tests see ECS's metrics without waiting for real minutes.
   */
  static LocalBerth startWithMetricsMinute(Duration minute) {
    return start(UnaryOperator.identity(), minute);
  }

  private static LocalBerth start(UnaryOperator<URI> agentRoute, Duration metricsMinute) {
    DockerRuntime docker = DockerRuntime.connect();
    LocalBerth berth;
    try {
      String image = DockerTestAccess.busybox(docker);
      berth = new LocalBerth(Files.createTempDirectory("berth-e2e-"), agentRoute, docker, image);
      berth.metricsMinute = metricsMinute;
    } catch (IOException e) {
      docker.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      docker.close();
      throw e;
    }
    try {
      berth.startServer();
      berth.ecs.createCluster(r -> r.clusterName(berth.cluster));
      berth.startAgent();
      return berth;
    } catch (RuntimeException | Error e) {
      berth.close();
      throw e;
    }
  }

  /** Returns the SDK client for the running server. */
  EcsClient ecs() {
    return ecs;
  }

  /** Returns the ELBv2 client for the running server. */
  ElasticLoadBalancingV2Client elb() {
    return elb;
  }

  /** Returns the Cloud Map client for the running server. */
  ServiceDiscoveryClient cloudMap() {
    return cloudMap;
  }

  /** Returns the address (UDP and TCP) of the running server's DNS server. */
  InetSocketAddress dnsAddress() {
    return server.dnsAddress();
  }

  /** Returns the name of this fixture's cluster. */
  String cluster() {
    return cluster;
  }

  /** Returns the running agent. */
  Agent agent() {
    return agent;
  }

  /** Returns the Docker engine the agent runs containers on. */
  DockerRuntime docker() {
    return docker;
  }

  /**
   * Starts the server over the data directory, on the ports (API and DNS) of the previous one if
   * there was one, else on free ports.
   */
  void startServer() {
    ServerConfig config =
        new ServerConfig(
                dir,
                "127.0.0.1",
                port,
                ServerConfig.DEFAULT_ACCOUNT,
                ServerConfig.DEFAULT_REGION,
                List.of(),
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                Clock.systemUTC())
            .withAgentHeartbeatTimeout(Duration.ofSeconds(5))
            .withDnsAddress(new InetSocketAddress("127.0.0.1", dnsPort));
    try {
      server = BerthServer.start(config, new MetricsSettings(metricsMinute));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    serverRunning = true;
    port = server.address().getPort();
    dnsPort = server.dnsAddress().getPort();
    URI endpoint = URI.create(server.endpoint());
    ecs =
        EcsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(REGION))
            .credentialsProvider(credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    elb =
        ElasticLoadBalancingV2Client.builder()
            .endpointOverride(endpoint)
            .region(Region.of(REGION))
            .credentialsProvider(credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    // DiscoverInstances is modelled on a "data-" host prefix, which an endpoint on an IP address
    // cannot take.
    cloudMap =
        ServiceDiscoveryClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(REGION))
            .credentialsProvider(credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                c ->
                    c.putAdvancedOption(
                        SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
  }

  /** Stops the server; the data directory stays for the next one. */
  void stopServer() {
    serverRunning = false;
    ecs.close();
    elb.close();
    cloudMap.close();
    server.close();
  }

  /**
   * Starts an agent over the agent's data directory, as local mode does, and waits until the server
   * counts it connected.
   */
  void startAgent() {
    agent = Agent.start(agentConfig(dir.resolve("agent"), dynamicPortFirst), Clock.systemUTC());
    agentRunning = true;
    awaitAgentConnected(true);
  }

  /**
   * Starts one more agent on the same engine, joining the cluster as a container instance of its
   * own (with its own data directory and block of host ports), and waits until it is connected;
   * closing the fixture stops it.
   */
  Agent startAnotherAgent() {
    int first =
        FIRST_PORT_BLOCK + (PORT_BLOCKS.getAndIncrement() % PORT_BLOCK_COUNT) * PORT_BLOCK_SIZE;
    Agent another =
        Agent.start(
            agentConfig(dir.resolve("agent-" + otherAgents.size()), first), Clock.systemUTC());
    otherAgents.add(another);
    await("another agent connected")
        .atMost(PATIENCE)
        .until(
            () ->
                ecs.describeContainerInstances(
                        r -> r.cluster(cluster).containerInstances(another.containerInstanceArn()))
                    .containerInstances()
                    .get(0)
                    .agentConnected());
    return another;
  }

  private AgentConfig agentConfig(Path agentDir, int portFirst) {
    return new AgentConfig(
        cluster,
        agentRoute.apply(URI.create(server.endpoint())),
        REGION,
        credentials(),
        agentDir,
        dockerHost(),
        REGION + "a",
        "berth.e2e",
        0,
        AgentConfig.DEFAULT_RESERVED_PORTS,
        List.of(),
        "default",
        "127.0.0.1",
        portFirst,
        portFirst + PORT_BLOCK_SIZE - 1,
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        // The agent's default is 20 s, a third of a minute; a shortened minute gets half of it.
        metricsMinute.equals(MetricsSettings.AWS.minute())
            ? Duration.ofSeconds(20)
            : Duration.ofMillis(Math.max(1000, metricsMinute.toMillis() / 2)));
  }

  /** Returns a CloudWatch client for the running server; the caller closes it. */
  CloudWatchClient cloudWatch() {
    return CloudWatchClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Stops the agent as a crash or restart of the agent process would leave things: its containers
   * keep running.
   */
  void stopAgent() {
    agentRunning = false;
    agent.close();
  }

  /** Returns the cluster's one container instance as DescribeContainerInstances shows it. */
  ContainerInstance instance() {
    return ecs.describeContainerInstances(
            r -> r.cluster(cluster).containerInstances(agent.containerInstanceArn()))
        .containerInstances()
        .get(0);
  }

  /** Waits until the server counts the agent connected, or not. */
  void awaitAgentConnected(boolean connected) {
    await("agentConnected " + connected)
        .atMost(PATIENCE)
        .until(() -> instance().agentConnected() == connected);
  }

  /** Returns a container definition of the test image, with a little memory reserved. */
  ContainerDefinition.Builder container(String name) {
    return ContainerDefinition.builder().name(name).image(image).memoryReservation(16);
  }

  /** Registers a task definition in a family of the cluster's own and returns its ARN. */
  String register(String family, ContainerDefinition.Builder... containers) {
    return register(family, List.of(), containers);
  }

  /** Registers a task definition with volumes and returns its ARN. */
  String register(String family, List<Volume> volumes, ContainerDefinition.Builder... containers) {
    List<ContainerDefinition> definitions =
        Arrays.stream(containers).map(ContainerDefinition.Builder::build).toList();
    return ecs.registerTaskDefinition(
            r ->
                r.family(cluster + "-" + family).volumes(volumes).containerDefinitions(definitions))
        .taskDefinition()
        .taskDefinitionArn();
  }

  /** Runs one task of the definition and returns it as RunTask answered. */
  Task run(String taskDefinitionArn) {
    return run(taskDefinitionArn, null);
  }

  /** Runs one task of the definition with overrides and returns it as RunTask answered. */
  Task run(String taskDefinitionArn, TaskOverride overrides) {
    RunTaskResponse response =
        ecs.runTask(r -> r.cluster(cluster).taskDefinition(taskDefinitionArn).overrides(overrides));
    if (!response.failures().isEmpty()) {
      throw new AssertionError("RunTask placed no task: " + response.failures());
    }
    return response.tasks().get(0);
  }

  /** Returns the task as DescribeTasks shows it. */
  Task describe(String taskArn) {
    return EcsTasks.describe(ecs, cluster, taskArn);
  }

  /**
   * Waits until the task's lastStatus is the one given and returns the task; fails at once if the
   * task stops while another status is awaited.
   */
  Task awaitStatus(String taskArn, String lastStatus) {
    return EcsTasks.awaitStatus(ecs, cluster, taskArn, lastStatus);
  }

  /** Runs one task of the definition and waits until it is RUNNING. */
  Task runAndAwaitRunning(String taskDefinitionArn) {
    return awaitStatus(run(taskDefinitionArn).taskArn(), "RUNNING");
  }

  /** Returns the containers of a task on the Docker engine, stopped ones included. */
  List<ContainerSummary> containersOf(String taskArn) {
    return docker.list(Map.of(EcsLabels.CLUSTER, cluster, EcsLabels.TASK_ARN, taskArn));
  }

  /** Stops the agent and the server, then removes the cluster's containers, volumes and files. */
  @Override
  public void close() {
    try {
      otherAgents.forEach(Agent::close);
      if (agentRunning) {
        stopAgent();
      }
    } finally {
      try {
        if (serverRunning) {
          stopServer();
        }
      } finally {
        try {
          DockerCleanup.removeLabelled(docker, Map.of(EcsLabels.CLUSTER, cluster));
        } finally {
          docker.close();
          DockerCleanup.deleteRecursively(dir);
        }
      }
    }
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            server.accessKey().accessKeyId(), server.accessKey().secretAccessKey()));
  }

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago and lies outside the blocks the
   * fixtures' agents hand out as dynamic host ports, e.g. for a load balancer's listener.
   */
  static int freePort() {
    int agentPortsEnd = FIRST_PORT_BLOCK + PORT_BLOCK_COUNT * PORT_BLOCK_SIZE;
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int candidate = socket.getLocalPort();
        if (candidate < FIRST_PORT_BLOCK || candidate >= agentPortsEnd) {
          return candidate;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port outside the agents' port blocks");
  }

  /** Returns the engine address the tests use: DOCKER_HOST, else the local socket. */
  static String dockerHost() {
    String host = System.getenv("DOCKER_HOST");
    return host == null || host.isBlank() ? DockerRuntime.DEFAULT_DOCKER_HOST : host;
  }
}
