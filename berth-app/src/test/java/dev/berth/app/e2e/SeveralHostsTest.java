package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.DockerTestAccess;
import dev.berth.agent.runtime.EcsLabels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The README's "Several hosts" recipe, run as a user runs it: {@code berth server} and {@code berth
 * agent} as separate processes, the cluster created through the SDK with the server's credentials
 * file, and the agent given that file through {@code AWS_SHARED_CREDENTIALS_FILE} and {@code
 * --profile berth}.
 */
class SeveralHostsTest {
  private final List<AutoCloseable> processes = new java.util.ArrayList<>();
  private final String cluster = "hosts-" + UUID.randomUUID().toString().substring(0, 12);
  private DockerRuntime docker;
  private Path dir;
  private EcsClient ecs;

  @BeforeEach
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("berth-hosts-");
    docker = DockerRuntime.connect();
  }

  @AfterEach
  void stopEverything() {
    try {
      if (ecs != null) {
        ecs.close();
      }
      // The agent first, so that it does not restart what the cleanup removes.
      for (AutoCloseable process : processes.reversed()) {
        try {
          process.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
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

  @Test
  void helpListsTheAgentCommand() throws Exception {
    BerthProcess help =
        BerthProcess.start(List.of(), List.of("--help"), Map.of(), dir.resolve("help.out"));
    processes.add(help);

    assertThat(help.awaitExit()).isZero();
    assertThat(help.output()).containsPattern("(?m)^ +agent +Registers this host");
    // The product jar leaves the benchmarks out, yet says where they are.
    assertThat(help.output()).containsPattern("(?m)^ +bench +Runs Berth's benchmarks");
  }

  @Test
  void anAgentProcessJoinsAServerProcessAndRunsATaskThatAnswersOnLoopback() throws Exception {
    runTheRecipe(List.of(), "127.0.0.1");
  }

  @Test
  void anAgentInANetworkNamespaceOfItsOwnJoinsTheServerThroughAVethPair() throws Exception {
    assumeTrue(NetworkNamespace.available(), "needs root and iproute2 for a network namespace");
    NetworkNamespace namespace = NetworkNamespace.create();
    // Closed last (the list closes in reverse), once the agent running in it has stopped.
    processes.add(namespace);

    runTheRecipe(namespace.exec(), namespace.hostAddress());
  }

  /**
   * Runs the recipe: the server on the address given, the agent through the prefix given (e.g. in a
   * network namespace), a task whose port is published on the host's 127.0.0.1.
   */
  private void runTheRecipe(List<String> agentPrefix, String serverAddress) throws Exception {
    int port = freePortPair();
    Path serverDir = dir.resolve("server");
    BerthProcess server =
        BerthProcess.start(
            List.of(),
            List.of(
                "server",
                "--bind",
                serverAddress,
                "--port",
                Integer.toString(port),
                "--data-dir",
                serverDir.toString()),
            Map.of(),
            dir.resolve("server.out"));
    processes.add(server);
    server.awaitStarted("Berth is listening on http://" + serverAddress + ":" + port);
    Path credentials = serverDir.resolve("credentials");
    ecs = client(serverAddress, port, credentials);
    ecs.createCluster(r -> r.clusterName(cluster));

    BerthProcess agent =
        BerthProcess.start(
            agentPrefix,
            List.of(
                "agent",
                "--cluster",
                cluster,
                "--endpoint",
                "http://" + serverAddress + ":" + port,
                "--region",
                "us-east-1",
                "--profile",
                "berth",
                "--data-dir",
                dir.resolve("agent").toString(),
                // Containers are published on loopback only, so nothing is exposed by the test.
                "--publish-address",
                "127.0.0.1"),
            agentEnvironment(credentials),
            dir.resolve("agent.out"));
    processes.add(agent);
    agent.awaitStarted("Berth agent registered as ");

    ContainerInstance instance = awaitConnectedInstance();
    assertThat(instance.status()).isEqualTo("ACTIVE");
    int hostPort = LocalBerth.freePort();
    String image = DockerTestAccess.busybox(docker);
    String taskDefinition =
        ecs.registerTaskDefinition(
                r ->
                    r.family(cluster + "-web")
                        .containerDefinitions(
                            ContainerDefinition.builder()
                                .name("web")
                                .image(image)
                                .memoryReservation(16)
                                .portMappings(
                                    PortMapping.builder()
                                        .containerPort(8080)
                                        .hostPort(hostPort)
                                        .build())
                                .command(
                                    Shell.serve(
                                        "/www", "mkdir -p /www && echo several > /www/index.html"))
                                .build()))
            .taskDefinition()
            .taskDefinitionArn();

    Task placed =
        ecs.runTask(r -> r.cluster(cluster).taskDefinition(taskDefinition)).tasks().get(0);
    assertThat(placed.containerInstanceArn()).isEqualTo(instance.containerInstanceArn());
    Task running = EcsTasks.awaitStatus(ecs, cluster, placed.taskArn(), "RUNNING");
    assertThat(Http.hostPort(running, "web", 8080)).isEqualTo(hostPort);
    assertThat(Http.awaitGet(hostPort, "/index.html")).isEqualTo("several\n");

    assertThat(serverDir.resolve("berth.log"))
        .content()
        .contains("INFO ")
        .contains("agent connected for " + instance.containerInstanceArn());
    assertThat(dir.resolve("agent").resolve("berth.log")).content().contains("INFO ");
    assertThat(server.output())
        .contains("Log: " + serverDir.resolve("berth.log").toAbsolutePath())
        .doesNotContain("agent connected")
        .doesNotContain("berth: INFO");
    assertThat(agent.output()).doesNotContain("berth: INFO");

    ecs.stopTask(r -> r.cluster(cluster).task(placed.taskArn()).reason("test done"));
    Task stopped = EcsTasks.awaitStatus(ecs, cluster, placed.taskArn(), "STOPPED");
    assertThat(stopped.stoppedReason()).isEqualTo("test done");
    assertThat(docker.list(Map.of(EcsLabels.TASK_ARN, placed.taskArn())))
        .isNotEmpty()
        .allSatisfy(container -> assertThat(container.state().isStopped()).isTrue());
  }

  private ContainerInstance awaitConnectedInstance() {
    return await("an ACTIVE, connected container instance in " + cluster)
        .atMost(LocalBerth.PATIENCE)
        .until(
            () -> {
              List<String> arns =
                  ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns();
              return arns.isEmpty()
                  ? null
                  : ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns))
                      .containerInstances()
                      .get(0);
            },
            instance ->
                instance != null
                    && instance.agentConnected()
                    && "ACTIVE".equals(instance.status()));
  }

  /**
   * Returns the agent's environment: the server's credentials file as the shared credentials file
   * and nothing else an AWS SDK would read credentials from, so ~/.aws never takes part.
   */
  private Map<String, String> agentEnvironment(Path credentials) {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    environment.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    for (String variable :
        List.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION")) {
      environment.put(variable, null);
    }
    environment.put("DOCKER_HOST", LocalBerth.dockerHost());
    return environment;
  }

  private static EcsClient client(String address, int port, Path credentials) {
    return EcsClient.builder()
        .endpointOverride(URI.create("http://" + address + ":" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            ProfileCredentialsProvider.builder()
                .profileFile(
                    ProfileFile.builder()
                        .content(credentials)
                        .type(ProfileFile.Type.CREDENTIALS)
                        .build())
                .profileName("berth")
                .build())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Returns a loopback port that was free a moment ago with the port six above it, where the server
   * puts its DNS server when only --port is given.
   */
  static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = LocalBerth.freePort();
      if (port + 6 > 65535) {
        continue;
      }
      try (ServerSocket dns = new ServerSocket(port + 6, 1, InetAddress.getLoopbackAddress());
          java.net.DatagramSocket udp =
              new java.net.DatagramSocket(
                  new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port + 6))) {
        return port;
      } catch (IOException taken) {
        // Try another pair.
      }
    }
    throw new IllegalStateException("no free pair of loopback ports N and N+6");
  }
}
