package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunTask's clientToken: ECS's idempotency, the record that keeps it, and its pruning. */
class ClientTokenTest {
  private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:000000000000:cluster/default";

  private final EcsHarness ecs = new EcsHarness();

  private JsonNode runTask(String token, int count) {
    return ecs.call(
        "RunTask",
        """
        {"cluster":"default","taskDefinition":"web","count":%d,"clientToken":"%s"}"""
            .formatted(count, token));
  }

  private static List<String> arns(JsonNode response) {
    List<String> arns = new ArrayList<>();
    response.path("tasks").forEach(task -> arns.add(task.path("taskArn").asText()));
    return arns;
  }

  private int storedTasks() {
    return ecs.store.load("task").size();
  }

  @Test
  void aRetryWithTheSameTokenAnswersTheSameTasksAndStartsNone() {
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);

    List<String> first = arns(runTask("token-1", 2));
    List<String> retry = arns(runTask("token-1", 2));

    assertThat(first).hasSize(2);
    assertThat(retry).isEqualTo(first);
    assertThat(storedTasks()).isEqualTo(2);
    assertThat(ecs.store.get("client-token", CLUSTER_ARN + "/token-1")).isNotNull();
    assertThat(arns(runTask("token-2", 2))).doesNotContainAnyElementsOf(first);
    assertThat(storedTasks()).isEqualTo(4);
  }

  @Test
  void theSameTokenWithOtherParametersIsAConflictNamingTheTokensTasks() {
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    List<String> first = arns(runTask("token-1", 1));

    assertThatThrownBy(() -> runTask("token-1", 2))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ConflictException");
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.toJson().path("resourceIds").get(0).asText()).isEqualTo(first.get(0));
            });
    assertThat(storedTasks()).isEqualTo(1);
  }

  @Test
  void aTokenOutsideEcsCharactersOrLengthIsRefusedAndStartsNothing() {
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);

    for (String token : List.of("x".repeat(65), "with space", "")) {
      assertThatThrownBy(() -> runTask(token, 1))
          .isInstanceOfSatisfying(
              AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }
    assertThat(storedTasks()).isZero();
    assertThat(arns(runTask("x".repeat(64), 1))).hasSize(1);
  }

  @Test
  void createServiceTakesTokensOfUpTo36Characters() {
    ecs.taskDefinition("web", 128, 128, null);
    String request =
        """
        {"cluster":"default","serviceName":"%s","taskDefinition":"web","desiredCount":0,
         "clientToken":"%s"}""";

    assertThatThrownBy(() -> ecs.call("CreateService", request.formatted("s1", "x".repeat(37))))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    assertThat(ecs.store.load("service")).isEmpty();
    ecs.call("CreateService", request.formatted("s1", "x".repeat(36)));
    assertThat(ecs.store.load("service")).hasSize(1);
  }

  @Test
  void aTokenIsForgottenAfterADayAndThenStartsNewTasks() {
    ecs.connectedInstance(4096, 4096);
    ecs.taskDefinition("web", 128, 128, null);
    List<String> first = arns(runTask("token-1", 1));

    ecs.clock.advance(Duration.ofHours(23));
    assertThat(arns(runTask("token-1", 1))).isEqualTo(first);
    ecs.service.pruneStoppedTasks().join();
    assertThat(ecs.store.get("client-token", CLUSTER_ARN + "/token-1")).isNotNull();

    ecs.clock.advance(Duration.ofHours(1));
    ecs.service.pruneStoppedTasks().join();
    assertThat(ecs.store.get("client-token", CLUSTER_ARN + "/token-1")).isNull();
    assertThat(arns(runTask("token-1", 1))).doesNotContainAnyElementsOf(first);
  }

  @Test
  void aTokenIsForgottenWithTheStoppedTasksItStarted() {
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = arns(runTask("token-1", 1)).get(0);
    ecs.report(task, "STOPPED");

    ecs.clock.advance(Duration.ofHours(2));
    assertThat(ecs.service.pruneStoppedTasks().join()).isEqualTo(1);

    assertThat(ecs.store.get("client-token", CLUSTER_ARN + "/token-1")).isNull();
  }
}
