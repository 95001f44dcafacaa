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
import java.nio.file.attribute.PosixFilePermissions;
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
 * file, an activation made with {@code berth activation create}, and the agent joining with it and
 * no AWS credentials at all: the admin key never reaches the agent's host.
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
    assertThat(help.output()).containsPattern("(?m)^ +keys +Creates, lists, disables");
    assertThat(help.output()).containsPattern("(?m)^ +activation +Creates, lists and deletes");
    // The product jar leaves the benchmarks out, yet says where they are.
    assertThat(help.output()).containsPattern("(?m)^ +bench +Runs Berth's benchmarks");
  }

  @Test
  void anAgentProcessJoinsAServerProcessAndRunsATaskThatAnswersOnLoopback() throws Exception {
    runTheRecipe(List.of(), "127.0.0.1", false);
  }

  @Test
  void anAgentPinningTheSelfSignedCertificateJoinsOverHttpsAndWss() throws Exception {
    runTheRecipe(List.of(), "127.0.0.1", true);
  }

  @Test
  void anAgentPinningAnotherFingerprintRefusesTheServer() throws Exception {
    int port = freePortPair();
    BerthProcess server = startServer("127.0.0.1", port, true);
    String fingerprint = fingerprint(server);
    ecs = client("https", "127.0.0.1", port, dir.resolve("server"));
    ecs.createCluster(r -> r.clusterName(cluster));
    // The real fingerprint with its first byte changed.
    String wrong = (fingerprint.startsWith("00") ? "01" : "00") + fingerprint.substring(2);

    BerthProcess agent = startAgent(List.of(), "https://127.0.0.1:" + port, wrong, null);

    agent.awaitStarted("cannot reach https://127.0.0.1:" + port + " to register");
    assertThat(agent.output()).contains("not the pinned " + wrong);
    assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns())
        .isEmpty();
  }

  @Test
  void anAgentInANetworkNamespaceOfItsOwnJoinsTheServerThroughAVethPair() throws Exception {
    assumeTrue(NetworkNamespace.available(), "needs root and iproute2 for a network namespace");
    NetworkNamespace namespace = NetworkNamespace.create();
    // Closed last (the list closes in reverse), once the agent running in it has stopped.
    processes.add(namespace);

    // Not on loopback: the server turns TLS on by itself, with a self-signed pair.
    runTheRecipe(namespace.exec(), namespace.hostAddress(), true);
  }

  /**
   * Runs the recipe: the server on the address given, in TLS with its self-signed pair (which the
   * agent pins by fingerprint) or in plain HTTP, the agent through the prefix given (e.g. in a
   * network namespace), a task whose port is published on the host's 127.0.0.1.
   */
  private void runTheRecipe(List<String> agentPrefix, String serverAddress, boolean tls)
      throws Exception {
    int port = freePortPair();
    Path serverDir = dir.resolve("server");
    BerthProcess server = startServer(serverAddress, port, tls);
    String scheme = tls ? "https" : "http";
    String endpoint = scheme + "://" + serverAddress + ":" + port;
    Path credentials = serverDir.resolve("credentials");
    ecs = client(scheme, serverAddress, port, serverDir);
    ecs.createCluster(r -> r.clusterName(cluster));
    // On the server's host, berth activation trusts the server's own certificate in its data dir.
    BerthProcess activation =
        BerthProcess.start(
            List.of(),
            List.of(
                "activation",
                "create",
                "--cluster",
                cluster,
                "--endpoint",
                endpoint,
                "--data-dir",
                serverDir.toString()),
            Map.of(),
            dir.resolve("activation.out"));
    processes.add(activation);
    assertThat(activation.awaitExit()).as(activation.output()).isZero();
    String activationId = outputValue(activation, "ActivationId");
    String activationCode = outputValue(activation, "ActivationCode");

    BerthProcess agent =
        startAgent(
            agentPrefix,
            endpoint,
            tls ? fingerprint(server) : null,
            new Activation(activationId, activationCode));
    agent.awaitStarted("Berth agent registered as ");
    Path ownCredentials = dir.resolve("agent").resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ownCredentials)))
        .isEqualTo("rw-------");
    assertThat(ownCredentials).content().doesNotContain(ecsAdminKeyId(credentials));

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

  private BerthProcess startServer(String address, int port, boolean tls) {
    List<String> arguments =
        new java.util.ArrayList<>(
            List.of(
                "server",
                "--bind",
                address,
                "--port",
                Integer.toString(port),
                "--data-dir",
                dir.resolve("server").toString()));
    if (tls && address.startsWith("127.")) {
      arguments.add("--tls-self-signed");
    }
    BerthProcess server =
        BerthProcess.start(List.of(), arguments, Map.of(), dir.resolve("server.out"));
    processes.add(server);
    server.awaitStarted(
        "Berth is listening on " + (tls ? "https" : "http") + "://" + address + ":" + port);
    return server;
  }

  /** An activation an agent joins with, as berth activation create printed it. */
  private record Activation(String id, String code) {}

  /**
   * Starts an agent of the endpoint that pins the fingerprint given (if any), joining with the
   * activation given, or with the server's admin key when it is null.
   */
  private BerthProcess startAgent(
      List<String> prefix, String endpoint, String fingerprint, Activation activation) {
    List<String> arguments =
        new java.util.ArrayList<>(
            List.of(
                "agent",
                "--cluster",
                cluster,
                "--endpoint",
                endpoint,
                "--data-dir",
                dir.resolve("agent").toString(),
                // Containers are published on loopback only, so nothing is exposed by the test.
                "--publish-address",
                "127.0.0.1"));
    if (activation != null) {
      arguments.addAll(List.of("--activation-id", activation.id()));
    } else {
      arguments.addAll(List.of("--region", "us-east-1", "--profile", "berth"));
    }
    if (fingerprint != null) {
      arguments.addAll(List.of("--tls-fingerprint", fingerprint));
    }
    BerthProcess agent =
        BerthProcess.start(
            prefix,
            arguments,
            agentEnvironment(activation == null ? null : activation.code()),
            dir.resolve("agent.out"));
    processes.add(agent);
    return agent;
  }

  /** Returns the fingerprint the server printed for its certificate. */
  private static String fingerprint(BerthProcess server) {
    server.awaitStarted("TLS SHA-256 fingerprint: ");
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile("TLS SHA-256 fingerprint: ([0-9A-F:]{95})")
            .matcher(server.output());
    assertThat(line.find()).isTrue();
    return line.group(1);
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

  /** Returns the value of a "Name: value" line the process printed. */
  private static String outputValue(BerthProcess process, String name) {
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(process.output());
    assertThat(matcher.find()).as(process.output()).isTrue();
    return matcher.group(1);
  }

  private static String ecsAdminKeyId(Path credentials) throws IOException {
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("aws_access_key_id = (\\S+)")
            .matcher(Files.readString(credentials));
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  /**
   * Returns the agent's environment: the activation code (if any), as BERTH_ACTIVATION_CODE keeps
   * it off the command line, and no AWS credentials but the server's credentials file when there is
   * no activation, so ~/.aws never takes part and an activated agent has no key but its own.
   */
  private Map<String, String> agentEnvironment(String activationCode) {
    Map<String, String> environment = new HashMap<>();
    if (activationCode != null) {
      environment.put("BERTH_ACTIVATION_CODE", activationCode);
      environment.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    } else {
      environment.put(
          "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("server").resolve("credentials").toString());
    }
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

  /**
   * Returns an ECS client of the server with its credentials file, trusting the server's own
   * certificate (host name checked) when the scheme is https.
   */
  private static EcsClient client(String scheme, String address, int port, Path serverDir)
      throws Exception {
    UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
    if (scheme.equals("https")) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      try (java.io.InputStream in =
          Files.newInputStream(serverDir.resolve("tls").resolve("server.crt"))) {
        store.setCertificateEntry(
            "berth",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      javax.net.ssl.TrustManagerFactory factory =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      javax.net.ssl.TrustManager[] trust = factory.getTrustManagers();
      http.tlsTrustManagersProvider(() -> trust);
    }
    return EcsClient.builder()
        .endpointOverride(URI.create(scheme + "://" + address + ":" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            ProfileCredentialsProvider.builder()
                .profileFile(
                    ProfileFile.builder()
                        .content(serverDir.resolve("credentials"))
                        .type(ProfileFile.Type.CREDENTIALS)
                        .build())
                .profileName("berth")
                .build())
        .httpClient(http.build())
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
