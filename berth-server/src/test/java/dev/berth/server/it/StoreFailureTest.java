package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;

/**
 * What a client sees when the store fails a commit: the change is never visible, never acknowledged
 * (not even to a retry), never reuses what it took (a revision number), never reaches an agent, and
 * writes resume by themselves once the store takes them again.
 */
class StoreFailureTest {
  private final AtomicReference<FailingStore> failing = new AtomicReference<>();
  private TestServer server;
  private EcsClient ecs;

  private void start(Path dataDir) {
    server =
        TestServer.start(
            dataDir,
            store -> {
              FailingStore wrapped = new FailingStore(store);
              failing.set(wrapped);
              return wrapped;
            });
    ecs = noRetries(server);
  }

  @AfterEach
  void stop() {
    if (ecs != null) {
      ecs.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void clusterWhoseCommitFailedIsNeitherVisibleNorAcknowledgedOnRetryAndWritesResume()
      throws Exception {
    start(Files.createTempDirectory("berth-store-failure-"));
    failing.get().failing(true);

    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("lost")))
          .isInstanceOfSatisfying(
              EcsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServerException");
              });
      assertThat(ecs.describeClusters(r -> r.clusters("lost")).clusters()).isEmpty();
      assertThat(ecs.listClusters().clusterArns()).noneMatch(arn -> arn.endsWith("/lost"));
    }
    assertThat(health()).startsWith("503").contains("store failing");

    failing.get().failing(false);
    await().atMost(Duration.ofSeconds(10)).until(() -> health().startsWith("200"));
    assertThat(ecs.createCluster(r -> r.clusterName("lost")).cluster().status())
        .isEqualTo("ACTIVE");

    Path dataDir = server.dataDir();
    ecs.close();
    server.stop();
    start(dataDir);
    assertThat(ecs.describeClusters(r -> r.clusters("lost")).clusters())
        .singleElement()
        .satisfies(cluster -> assertThat(cluster.status()).isEqualTo("ACTIVE"));
  }

  @Test
  void taskDefinitionRevisionWhoseCommitFailedIsNotListedAndIsHandedOutOnceForOtherContent()
      throws Exception {
    start(Files.createTempDirectory("berth-store-failure-"));
    assertThat(register("one").taskDefinition().revision()).isEqualTo(1);

    failing.get().failing(true);
    assertThatThrownBy(() -> register("lost"))
        .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("web:2")))
        .isInstanceOf(ClientException.class);
    assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("web")).taskDefinitionArns()).hasSize(1);

    failing.get().failing(false);
    assertThat(register("two").taskDefinition().revision()).isEqualTo(2);

    Path dataDir = server.dataDir();
    ecs.close();
    server.stop();
    start(dataDir);
    assertThat(
            ecs.describeTaskDefinition(r -> r.taskDefinition("web:2"))
                .taskDefinition()
                .containerDefinitions()
                .get(0)
                .command())
        .containsExactly("two");
    assertThat(register("three").taskDefinition().revision()).isEqualTo(3);
  }

  @Test
  void runTaskWhoseCommitFailedPlacesNothingAndTellsNoAgent() throws Exception {
    start(Files.createTempDirectory("berth-store-failure-"));
    String instance = AgentCalls.registerAgent(ecs, "default", 2048, 4096).containerInstanceArn();
    server.setAgentConnected(instance, true);
    Set<String> told = ConcurrentHashMap.newKeySet();
    server.ecsService().agentFacing().onTaskSetChanged(told::add);
    register("sleep");

    failing.get().failing(true);
    assertThatThrownBy(() -> ecs.runTask(r -> r.taskDefinition("web")))
        .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.statusCode()).isEqualTo(500));

    assertThat(told).isEmpty();
    assertThat(ecs.listTasks(r -> r.cluster("default")).taskArns()).isEmpty();
    assertThat(
            ecs.describeContainerInstances(r -> r.containerInstances(instance))
                    .containerInstances()
                    .get(0)
                    .runningTasksCount()
                + ecs.describeContainerInstances(r -> r.containerInstances(instance))
                    .containerInstances()
                    .get(0)
                    .pendingTasksCount())
        .isZero();

    failing.get().failing(false);
    String task = ecs.runTask(r -> r.taskDefinition("web")).tasks().get(0).taskArn();
    // The push is a post-commit effect: it follows the answer, on the cluster's writer.
    await().atMost(Duration.ofSeconds(10)).until(() -> told.contains(instance));
    assertThat(told).containsExactly(instance);
    assertThat(ecs.listTasks(r -> r.cluster("default")).taskArns()).containsExactly(task);
  }

  @Test
  void aRealFullFilesystemFailsWritesUnseenAndTheyResumeOnceSpaceIsFreed() throws Exception {
    Path dataDir = Files.createTempDirectory("berth-full-disk-");
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", dataDir.toString()) == 0,
        "mounting a small tmpfs needs root");
    try {
      start(dataDir);
      ecs.createCluster(r -> r.clusterName("before"));
      Path filler = dataDir.resolve("filler");
      fill(filler);

      // The WAL may still have room for a write or two; big revisions fill it soon.
      int acknowledged = 0;
      EcsException failure = null;
      for (int attempt = 0; attempt < 100 && failure == null; attempt++) {
        try {
          acknowledged = registerBig("full-" + attempt).taskDefinition().revision();
        } catch (EcsException e) {
          failure = e;
        }
      }
      assertThat(failure).isNotNull();
      assertThat(failure.statusCode()).isEqualTo(500);
      int lost = acknowledged + 1;
      assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("big:" + lost)))
          .isInstanceOf(ClientException.class);
      assertThat(health()).startsWith("503");

      Files.delete(filler);
      await().atMost(Duration.ofSeconds(10)).until(() -> health().startsWith("200"));
      assertThat(registerBig("after").taskDefinition().revision()).isEqualTo(lost);

      ecs.close();
      server.stop();
      start(dataDir);
      assertThat(
              ecs.describeTaskDefinition(r -> r.taskDefinition("big:" + lost))
                  .taskDefinition()
                  .containerDefinitions()
                  .get(0)
                  .command())
          .containsExactly("after");
      assertThat(ecs.describeClusters(r -> r.clusters("before")).clusters()).hasSize(1);
    } finally {
      if (ecs != null) {
        ecs.close();
        ecs = null;
      }
      if (server != null) {
        server.stop();
        server = null;
      }
      run("umount", dataDir.toString());
      TestServer.deleteRecursively(dataDir);
    }
  }

  private software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse registerBig(
      String command) {
    List<KeyValuePair> environment = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      environment.add(KeyValuePair.builder().name("VAR_" + i).value("x".repeat(200)).build());
    }
    return ecs.registerTaskDefinition(
        r ->
            r.family("big")
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("big")
                        .image("busybox")
                        .memory(64)
                        .command(command)
                        .environment(environment)
                        .build()));
  }

  /** Writes zeros to the file until the filesystem is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).containsIgnoringCase("space");
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  private software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse register(
      String command) {
    return ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("web")
                        .image("busybox")
                        .memory(64)
                        .command(command)
                        .build()));
  }

  private String health() throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(server.endpoint() + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    }
  }

  /** Returns a client that does not retry, so that each failure is seen once. */
  static EcsClient noRetries(TestServer server) {
    return EcsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    server.server().accessKey().accessKeyId(),
                    server.server().accessKey().secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build();
  }
}
