package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Kill -9 at any moment loses no acknowledged write; a restart reloads everything. */
class CrashRecoveryTest {
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Path dataDir = Files.createTempDirectory("berth-crash-");
    Set<String> acknowledgedClusters = ConcurrentHashMap.newKeySet();
    Set<String> acknowledgedRevisions = ConcurrentHashMap.newKeySet();
    try {
      try (ServerProcess server = ServerProcess.start(dataDir)) {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (EcsClient ecs = client(server)) {
          for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.execute(
                () -> {
                  for (int i = 0; running.get(); i++) {
                    try {
                      if (i % 2 == 0) {
                        String name = "crash-" + writer + "-" + i;
                        ecs.createCluster(r -> r.clusterName(name));
                        acknowledgedClusters.add(name);
                      } else {
                        TaskDefinition registered =
                            ecs.registerTaskDefinition(
                                    r ->
                                        r.family("crash-" + writer)
                                            .containerDefinitions(
                                                ContainerDefinition.builder()
                                                    .name("app")
                                                    .image("busybox")
                                                    .memory(64)
                                                    .build()))
                                .taskDefinition();
                        acknowledgedRevisions.add(registered.taskDefinitionArn());
                      }
                    } catch (RuntimeException e) {
                      return; // the server is gone
                    }
                  }
                });
          }
          while (acknowledgedClusters.size() + acknowledgedRevisions.size() < 200) {
            Thread.onSpinWait();
          }
          server.kill();
          running.set(false);
          writers.shutdown();
          assertThat(writers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
      }

      try (TestServer restarted = TestServer.start(dataDir)) {
        EcsClient ecs = restarted.ecs();
        List<String> clusters = ecs.listClustersPaginator(r -> {}).clusterArns().stream().toList();
        for (String name : acknowledgedClusters) {
          assertThat(clusters).contains("arn:aws:ecs:us-east-1:000000000000:cluster/" + name);
        }
        List<String> revisions =
            ecs.listTaskDefinitionsPaginator(r -> {}).taskDefinitionArns().stream().toList();
        assertThat(revisions).containsAll(acknowledgedRevisions);
        // Revisions keep counting from where they were: the next one follows the highest stored.
        TaskDefinition next =
            ecs.registerTaskDefinition(
                    r ->
                        r.family("crash-0")
                            .containerDefinitions(
                                ContainerDefinition.builder()
                                    .name("app")
                                    .image("busybox")
                                    .memory(64)
                                    .build()))
                .taskDefinition();
        long storedOfFamily =
            revisions.stream().filter(arn -> arn.contains(":task-definition/crash-0:")).count();
        assertThat(next.revision()).isEqualTo((int) storedOfFamily + 1);
      }
    } finally {
      TestServer.deleteRecursively(dataDir);
    }
  }

  private static EcsClient client(ServerProcess server) {
    return EcsClient.builder()
        .endpointOverride(URI.create(server.endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKeyId, server.secretAccessKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
