package dev.berth.server.ecs;

import static dev.berth.server.ecs.EcsHarness.firstTaskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.agent.TaskSetEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What the agent channel sees of the state: task sets, their changes, connection and health. */
class AgentFacingTest {
  private final EcsHarness ecs = new EcsHarness();
  private final AgentFacing facing = ecs.service.agentFacing();

  @Test
  void theTaskSetHoldsTheInstancesTasksUntilTheyStop() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));

    List<TaskSetEntry> set = facing.taskSet(instance);
    assertThat(set).hasSize(1);
    JsonNode sent = json(set.get(0).task().get());
    assertThat(sent.path("taskArn").asText()).isEqualTo(task);
    assertThat(set.get(0).taskArn()).isEqualTo(task);
    assertThat(set.get(0).taskDefinitionArn()).isEqualTo(sent.path("taskDefinitionArn").asText());
    JsonNode definition = json(facing.taskDefinition(set.get(0).taskDefinitionArn()));
    assertThat(definition.path("family").asText()).isEqualTo("web");
    assertThat(definition.path("containerDefinitions")).hasSize(1);

    ecs.report(task, "STOPPED");

    assertThat(facing.taskSet(instance)).isEmpty();
  }

  @Test
  void anEntryCarriesWhatDecidesWhetherItsAgentMustHearOfItAgain() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));
    TaskSetEntry placed = facing.taskSet(instance).get(0);
    ecs.report(task, "RUNNING");
    ecs.call("StopTask", "{\"task\":\"%s\"}".formatted(task));

    TaskSetEntry stopping = facing.taskSet(instance).get(0);

    assertThat(placed.desiredStatus()).isEqualTo("RUNNING");
    assertThat(placed.deactivating()).isFalse();
    assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
    assertThat(json(stopping.task().get()).path("desiredStatus").asText()).isEqualTo("STOPPED");
    // An entry's JSON is the task as it was when the set was taken.
    assertThat(json(placed.task().get()).path("desiredStatus").asText()).isEqualTo("RUNNING");
  }

  @Test
  void anUnknownTaskDefinitionHasNoJson() {
    assertThat(facing.taskDefinition("arn:aws:ecs:us-east-1:000000000000:task-definition/none:1"))
        .isNull();
    assertThat(facing.taskDefinition("not-an-arn")).isNull();
  }

  @Test
  void listenersHearPlacementDesiredStatusChangesAndStopsButNotProgress() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    List<String> heard = new ArrayList<>();
    facing.onTaskSetChanged(heard::add);

    String task = firstTaskArn(ecs.runTask("web", 1));
    ecs.report(task, "RUNNING");
    assertThat(heard).containsExactly(instance);
    ecs.call("StopTask", "{\"task\":\"%s\"}".formatted(task));
    assertThat(heard).containsExactly(instance, instance);
    ecs.report(task, "STOPPED");
    assertThat(heard).containsExactly(instance, instance, instance);
  }

  @Test
  void agentConnectionIsShownAndNeverStored() {
    String instance = ecs.instance(1024, 1024);
    assertThat(ecs.instanceView(instance).path("agentConnected").asBoolean()).isFalse();

    facing.setAgentConnected(instance, true);
    assertThat(ecs.instanceView(instance).path("agentConnected").asBoolean()).isTrue();
    assertThat(ecs.store.get("container-instance", instance).body()).doesNotContain("onnected");

    facing.setAgentConnected(instance, false);
    assertThat(ecs.instanceView(instance).path("agentConnected").asBoolean()).isFalse();
  }

  @Test
  void discoverPollEndpointAnswersTheServersOwnEndpoint() {
    JsonNode endpoints = ecs.call("DiscoverPollEndpoint", "{\"cluster\":\"default\"}");

    assertThat(endpoints.path("endpoint").asText()).isEqualTo("http://127.0.0.1:4747");
    assertThat(endpoints.path("telemetryEndpoint").asText()).isEqualTo("http://127.0.0.1:4747");
  }

  @Test
  void isRegisteredChecksClusterRegionAndStatus() {
    String instance = ecs.instance(1024, 1024);

    assertThat(facing.isRegistered("us-east-1", "000000000000", "default", instance)).isTrue();
    assertThat(
            facing.isRegistered(
                "us-east-1",
                "000000000000",
                "arn:aws:ecs:us-east-1:000000000000:cluster/default",
                instance))
        .isTrue();
    assertThat(facing.isRegistered("us-east-1", "000000000000", "other", instance)).isFalse();
    assertThat(facing.isRegistered("eu-west-1", "000000000000", "default", instance)).isFalse();
    ecs.call("DeregisterContainerInstance", "{\"containerInstance\":\"%s\"}".formatted(instance));
    assertThat(facing.isRegistered("us-east-1", "000000000000", "default", instance)).isFalse();
    assertThat(facing.clusterOf(instance).name()).isEqualTo("default");
  }

  @Test
  void healthOfEssentialContainersWithChecksMakesTheTasksHealth() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.call(
        "RegisterTaskDefinition",
        """
        {"family":"checked","containerDefinitions":[
          {"name":"app","image":"busybox","memory":64,
           "healthCheck":{"command":["CMD-SHELL","true"]}},
          {"name":"sidecar","image":"busybox","memory":64,"essential":false}]}
        """);
    String task = firstTaskArn(ecs.call("RunTask", "{\"taskDefinition\":\"checked\"}"));

    facing.reportHealth(instance, task, Map.of("app", "HEALTHY")).join();
    assertThat(ecs.task(task).path("healthStatus").asText()).isEqualTo("HEALTHY");
    facing.reportHealth(instance, task, Map.of("sidecar", "UNHEALTHY")).join();
    assertThat(ecs.task(task).path("healthStatus").asText()).isEqualTo("HEALTHY");
    facing.reportHealth(instance, task, Map.of("app", "UNHEALTHY")).join();
    JsonNode unhealthy = ecs.task(task);
    assertThat(unhealthy.path("healthStatus").asText()).isEqualTo("UNHEALTHY");
    assertThat(unhealthy.path("containers").get(0).path("healthStatus").asText())
        .isEqualTo("UNHEALTHY");
  }

  @Test
  void healthForATaskOfAnotherInstanceIsRefused() {
    String[] taskAndElsewhere = taskAndAnotherInstance();
    String task = taskAndElsewhere[0];
    String elsewhere = taskAndElsewhere[1];

    assertThatThrownBy(() -> facing.reportHealth(elsewhere, task, Map.of("app", "HEALTHY")).join())
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("The referenced task was not found.");
  }

  @Test
  void aStateChangeFromTheChannelIsAppliedAsSubmitTaskStateChange() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));

    JsonNode answer =
        facing
            .submitStateChange(
                instance,
                json(
                    """
                    {"cluster":"default","task":"%s","status":"RUNNING",
                     "containers":[{"containerName":"app","runtimeId":"c1","status":"RUNNING"}]}
                    """
                        .formatted(task)))
            .join();

    assertThat(answer.path("acknowledgment").asText()).isEqualTo("ACK");
    JsonNode running = ecs.task(task);
    assertThat(running.path("lastStatus").asText()).isEqualTo("RUNNING");
    assertThat(running.path("containers").get(0).path("runtimeId").asText()).isEqualTo("c1");
  }

  @Test
  void aBatchIsAppliedInOrderAndARefusedChangeHoldsBackNoOther() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    JsonNode placed = ecs.runTask("web", 2);
    String first = placed.path("tasks").get(0).path("taskArn").asText();
    String second = placed.path("tasks").get(1).path("taskArn").asText();
    String change = "{\"cluster\":\"default\",\"task\":\"%s\",\"status\":\"%s\"}";

    List<CompletableFuture<JsonNode>> answers =
        facing.submitStateChanges(
            instance,
            List.of(
                json(change.formatted(first, "RUNNING")),
                json("{\"cluster\":\"default\",\"task\":\"%s\",\"status\":7}".formatted(second)),
                json(change.formatted("0123456789abcdef0123456789abcdef", "RUNNING")),
                json(change.formatted(second, "RUNNING")),
                json(change.formatted(first, "STOPPED"))));

    assertThat(answers).hasSize(5);
    assertThat(answers.get(0).join().path("acknowledgment").asText()).isEqualTo("ACK");
    assertThat(answers.get(1))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            AwsException.class,
            error -> assertThat(error.code()).isEqualTo("SerializationException"));
    assertThat(answers.get(2))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("The referenced task was not found.");
    assertThat(answers.get(3).join().path("acknowledgment").asText()).isEqualTo("ACK");
    assertThat(answers.get(4).join().path("acknowledgment").asText()).isEqualTo("ACK");
    // The batch's changes of one task apply in order: RUNNING, then STOPPED.
    JsonNode stopped = ecs.task(first);
    assertThat(stopped.path("lastStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.has("startedAt")).isTrue();
    assertThat(ecs.task(second).path("lastStatus").asText()).isEqualTo("RUNNING");
  }

  @Test
  void aStateChangeForATaskOfAnotherInstanceIsRefusedAndChangesNothing() {
    String[] taskAndElsewhere = taskAndAnotherInstance();
    String task = taskAndElsewhere[0];
    String elsewhere = taskAndElsewhere[1];
    JsonNode change =
        json("{\"cluster\":\"default\",\"task\":\"%s\",\"status\":\"STOPPED\"}".formatted(task));

    // Another instance's task is refused as AWS refuses a call outside a key's rights.
    assertThatThrownBy(() -> facing.submitStateChange(elsewhere, change).join())
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("may not report task " + task);
    assertThat(ecs.task(task).path("lastStatus").asText()).isEqualTo("PROVISIONING");
  }

  @Test
  void aStateChangeIsValidatedAgainstEcsModel() {
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));
    JsonNode change =
        json("{\"cluster\":\"default\",\"task\":\"%s\",\"status\":7}".formatted(task));

    assertThatThrownBy(() -> facing.submitStateChange(instance, change).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            AwsException.class,
            // As the API answers a member of the wrong type.
            error -> assertThat(error.code()).isEqualTo("SerializationException"));
    assertThat(ecs.task(task).path("lastStatus").asText()).isEqualTo("PROVISIONING");
  }

  private static JsonNode json(byte[] utf8) {
    try {
      return Json.MAPPER.readTree(utf8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Places a task on one of two connected instances; returns its ARN and another instance's. */
  private String[] taskAndAnotherInstance() {
    ecs.connectedInstance(1024, 1024);
    String other = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    JsonNode placed = ecs.runTask("web", 1);
    String elsewhere =
        placed.path("tasks").get(0).path("containerInstanceArn").asText().equals(other)
            ? ecs.connectedInstance(64, 64)
            : other;
    return new String[] {firstTaskArn(placed), elsewhere};
  }
}
