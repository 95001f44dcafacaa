package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.DockerTestAccess;
import dev.berth.agent.runtime.EcsLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * kill -9 of the whole of {@code berth local} (server, store and agent in one process) while a task
 * runs, then a restart over the same data directory and port: the task is adopted, not started
 * again. Local mode's cluster is always {@code default}, so this class labels its task with a
 * family of its own and cleans up by it.
 */
class LocalProcessKillTest {
  private static final String CLUSTER = "default";
  private static final String FAMILY = "e2e-kill-" + UUID.randomUUID().toString().substring(0, 8);

  private static Path dir;
  private static DockerRuntime docker;
  private static String image;
  private static LocalProcess berth;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("berth-e2e-local-");
    docker = DockerRuntime.connect();
    image = DockerTestAccess.busybox(docker);
  }

  @AfterAll
  static void stop() {
    try {
      if (berth != null) {
        berth.close();
      }
    } finally {
      try {
        if (docker != null) {
          DockerCleanup.removeLabelled(
              docker, Map.of(EcsLabels.CLUSTER, CLUSTER, EcsLabels.FAMILY, FAMILY));
          docker.close();
        }
      } finally {
        if (dir != null) {
          DockerCleanup.deleteRecursively(dir);
        }
      }
    }
  }

  @Test
  void killedLocalProcessAdoptsItsRunningTaskWhenStartedAgain() throws Exception {
    int port = LocalProcess.freePort();
    Path data = dir.resolve("berth");
    berth = LocalProcess.start(data, port);
    Task before;
    String instanceArn;
    try (EcsClient ecs = berth.ecs()) {
      instanceArn = awaitConnectedInstance(ecs);
      String web =
          ecs.registerTaskDefinition(
                  r ->
                      r.family(FAMILY)
                          .containerDefinitions(
                              ContainerDefinition.builder()
                                  .name("web")
                                  .image(image)
                                  .memoryReservation(16)
                                  .portMappings(Http.dynamicHostPort(8080))
                                  .command(
                                      Shell.serve(
                                          "/www",
                                          "mkdir -p /www && echo survivor > /www/index.html"))
                                  .build()))
              .taskDefinition()
              .taskDefinitionArn();
      String taskArn =
          ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition(web)).tasks().get(0).taskArn();
      before = EcsTasks.awaitStatus(ecs, CLUSTER, taskArn, "RUNNING");
    }
    String runtimeId = before.containers().get(0).runtimeId();
    int webPort = Http.hostPort(before, "web", 8080);
    assertThat(Http.awaitGet(webPort, "/")).isEqualTo("survivor\n");

    berth.kill();

    assertThat(runningIds(before.taskArn())).containsExactly(runtimeId);
    berth = LocalProcess.start(data, port);
    try (EcsClient ecs = berth.ecs()) {
      assertThat(awaitConnectedInstance(ecs)).isEqualTo(instanceArn);
      // Give the new agent time to act on its task set: nothing may change meanwhile.
      await("the task left as it was")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  containersOf(before.taskArn()).size() == 1
                      && runningIds(before.taskArn()).equals(List.of(runtimeId))
                      && "RUNNING"
                          .equals(EcsTasks.describe(ecs, CLUSTER, before.taskArn()).lastStatus()));
      Task after = EcsTasks.describe(ecs, CLUSTER, before.taskArn());
      assertThat(after.containers().get(0).runtimeId()).isEqualTo(runtimeId);
      assertThat(after.startedAt()).isEqualTo(before.startedAt());
      assertThat(Http.get(webPort, "/")).isEqualTo("survivor\n");

      // The restarted process runs the task: it stops it when asked.
      ecs.stopTask(r -> r.cluster(CLUSTER).task(before.taskArn()));
      Task stopped = EcsTasks.awaitStatus(ecs, CLUSTER, before.taskArn(), "STOPPED");
      assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
      assertThat(stopped.containers().get(0).exitCode()).isZero();
    }
  }

  /** Waits until local mode's one container instance has its agent connected; returns its ARN. */
  private static String awaitConnectedInstance(EcsClient ecs) {
    return await("the local agent connected")
        .atMost(PATIENCE)
        .until(
            () -> {
              List<String> arns =
                  ecs.listContainerInstances(r -> r.cluster(CLUSTER)).containerInstanceArns();
              if (arns.isEmpty()) {
                return null;
              }
              ContainerInstance instance =
                  ecs.describeContainerInstances(r -> r.cluster(CLUSTER).containerInstances(arns))
                      .containerInstances()
                      .get(0);
              return instance.agentConnected() ? instance.containerInstanceArn() : null;
            },
            arn -> arn != null);
  }

  private static List<ContainerSummary> containersOf(String taskArn) {
    return docker.list(Map.of(EcsLabels.CLUSTER, CLUSTER, EcsLabels.TASK_ARN, taskArn));
  }

  private static List<String> runningIds(String taskArn) {
    return containersOf(taskArn).stream()
        .filter(c -> c.state() == ContainerState.RUNNING)
        .map(ContainerSummary::id)
        .toList();
  }
}
