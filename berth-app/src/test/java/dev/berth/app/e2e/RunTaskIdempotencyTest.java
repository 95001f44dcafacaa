package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.agent.runtime.EcsLabels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * RunTask's clientToken on a real agent: a retry with the same token starts no second set of
 * containers, before and after a server restart, and the token with other parameters is refused.
 */
class RunTaskIdempotencyTest {
  private static LocalBerth berth;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void aRetriedRunTaskStartsItsTasksOnceEvenAcrossAServerRestart() {
    String definition =
        berth.register("idempotent", berth.container("sleeper").command("sleep", "600"));
    RunTaskRequest request =
        RunTaskRequest.builder()
            .cluster(berth.cluster())
            .taskDefinition(definition)
            .count(2)
            .clientToken("retry-after-a-timeout-1")
            .build();

    RunTaskResponse first = berth.ecs().runTask(request);
    RunTaskResponse retry = berth.ecs().runTask(request);

    List<String> arns = taskArns(first);
    assertThat(arns).hasSize(2);
    assertThat(taskArns(retry)).isEqualTo(arns);
    arns.forEach(arn -> berth.awaitStatus(arn, "RUNNING"));
    assertThat(clusterContainers()).isEqualTo(2);
    arns.forEach(arn -> assertThat(berth.containersOf(arn)).hasSize(1));

    ConflictException conflict =
        catchThrowableOfType(
            ConflictException.class,
            () -> berth.ecs().runTask(request.toBuilder().startedBy("someone-else").build()));
    assertThat(conflict.resourceIds()).containsExactlyInAnyOrderElementsOf(arns);
    assertThat(listedTasks()).containsExactlyInAnyOrderElementsOf(arns);

    berth.stopServer();
    berth.startServer();
    berth.awaitAgentConnected(true);

    RunTaskResponse afterRestart = berth.ecs().runTask(request);
    assertThat(taskArns(afterRestart)).isEqualTo(arns);
    assertThat(afterRestart.tasks())
        .allSatisfy(task -> assertThat(task.lastStatus()).isEqualTo("RUNNING"));
    assertThat(listedTasks()).containsExactlyInAnyOrderElementsOf(arns);
    assertThat(clusterContainers()).isEqualTo(2);
    assertThat(
            catchThrowableOfType(
                ConflictException.class,
                () -> berth.ecs().runTask(request.toBuilder().count(1).build())))
        .isNotNull();
  }

  private static List<String> taskArns(RunTaskResponse response) {
    assertThat(response.failures()).isEmpty();
    return response.tasks().stream().map(Task::taskArn).toList();
  }

  private static List<String> listedTasks() {
    return berth.ecs().listTasks(r -> r.cluster(berth.cluster())).taskArns();
  }

  private static int clusterContainers() {
    return berth.docker().list(Map.of(EcsLabels.CLUSTER, berth.cluster())).size();
  }
}
