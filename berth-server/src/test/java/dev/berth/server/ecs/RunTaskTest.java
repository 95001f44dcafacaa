package dev.berth.server.ecs;

import static dev.berth.server.ecs.EcsHarness.firstTaskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** RunTask and StartTask through the service: placement, reservation and their failures. */
class RunTaskTest {
  @Test
  void concurrentRunTasksNeverOverbookAnInstance() throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(4);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      EcsHarness ecs = new EcsHarness(writers, Duration.ofHours(1));
      ecs.connectedInstance(1024, 8192);
      ecs.taskDefinition("batch", 128, 64, null);
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> ecs.runTask("batch", 1), callers));
      }
      Set<String> placed = new HashSet<>();
      List<String> reasons = new ArrayList<>();
      for (CompletableFuture<JsonNode> call : calls) {
        JsonNode response = call.get();
        response.path("tasks").forEach(task -> placed.add(task.path("taskArn").asText()));
        response.path("failures").forEach(failure -> reasons.add(failure.path("reason").asText()));
      }
      assertThat(placed).hasSize(8);
      assertThat(reasons).hasSize(12).containsOnly("RESOURCE:CPU");
    } finally {
      callers.shutdownNow();
      writers.shutdownNow();
    }
  }

  @Test
  void anEmptyClusterHasNoContainerInstancesToRunOn() {
    EcsHarness ecs = new EcsHarness();
    ecs.taskDefinition("web", 128, 128, null);

    assertThatThrownBy(() -> ecs.runTask("web", 1))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidParameterException");
              assertThat(e.getMessage())
                  .isEqualTo("No Container Instances were found in your cluster.");
            });
  }

  @Test
  void failuresNameEachRefusedInstanceAndItsReason() {
    EcsHarness ecs = new EcsHarness();
    String disconnected = ecs.instance(4096, 4096);
    String small = ecs.connectedInstance(128, 4096);
    ecs.taskDefinition("web", 256, 256, null);

    JsonNode response = ecs.runTask("web", 1);

    assertThat(response.path("tasks")).isEmpty();
    assertThat(response.path("failures").toString())
        .contains(disconnected, "\"AGENT\"", small, "RESOURCE:CPU");
  }

  @Test
  void aFixedHostPortTakesOneTaskPerInstance() {
    EcsHarness ecs = new EcsHarness();
    String instance = ecs.connectedInstance(4096, 4096);
    ecs.taskDefinition("web", 64, 64, 8080);

    JsonNode response = ecs.runTask("web", 2);

    assertThat(response.path("tasks")).hasSize(1);
    assertThat(response.path("failures").get(0).path("arn").asText()).isEqualTo(instance);
    assertThat(response.path("failures").get(0).path("reason").asText())
        .isEqualTo("RESOURCE:PORTS");
  }

  @Test
  void overridesChangeWhatATaskReserves() {
    EcsHarness ecs = new EcsHarness();
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);

    JsonNode task =
        ecs.call(
                "RunTask",
                """
                {"cluster":"default","taskDefinition":"web","overrides":{"containerOverrides":[
                  {"name":"app","cpu":512,"memory":700,"command":["sleep","5"],
                   "environment":[{"name":"A","value":"1"}]}]}}
                """)
            .path("tasks")
            .get(0);

    assertThat(
            task.path("overrides")
                .path("containerOverrides")
                .get(0)
                .path("command")
                .get(1)
                .asText())
        .isEqualTo("5");
    assertThat(task.path("containers").get(0).path("cpu").asText()).isEqualTo("512");
    assertThat(task.path("containers").get(0).path("memory").asText()).isEqualTo("700");
    JsonNode view = ecs.instanceView(instance);
    assertThat(EcsHarness.resource(view.path("remainingResources"), "CPU")).isEqualTo(512);
    assertThat(EcsHarness.resource(view.path("remainingResources"), "MEMORY")).isEqualTo(324);
  }

  @Test
  void anOverrideForAnUnknownContainerIsRefused() {
    EcsHarness ecs = new EcsHarness();
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);

    assertThatThrownBy(
            () ->
                ecs.call(
                    "RunTask",
                    "{\"taskDefinition\":\"web\",\"overrides\":{\"containerOverrides\":[{\"name\":\"db\"}]}}"))
        .hasMessage("Override for container named db is not a container in the TaskDefinition.");
  }

  @Test
  void tasksOfAnInactiveRevisionCannotStart() {
    EcsHarness ecs = new EcsHarness();
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    ecs.call("DeregisterTaskDefinition", "{\"taskDefinition\":\"web:1\"}");

    assertThatThrownBy(() -> ecs.call("RunTask", "{\"taskDefinition\":\"web:1\"}"))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("ClientException"));
  }

  @Test
  void tagsArePropagatedAndManagedTagsAdded() {
    EcsHarness ecs = new EcsHarness();
    ecs.connectedInstance(1024, 1024);
    ecs.call(
        "RegisterTaskDefinition",
        """
        {"family":"tagged","tags":[{"key":"team","value":"web"}],
         "containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}
        """);

    JsonNode task =
        ecs.call(
                "RunTask",
                """
                {"taskDefinition":"tagged","propagateTags":"TASK_DEFINITION",
                 "enableECSManagedTags":true,"tags":[{"key":"run","value":"1"}]}
                """)
            .path("tasks")
            .get(0);

    assertThat(task.path("tags").toString())
        .contains("\"team\"", "\"run\"", "\"aws:ecs:clusterName\"", "\"default\"");
    assertThat(task.path("group").asText()).isEqualTo("family:tagged");
  }

  @Test
  void startTaskPlacesOnTheNamedInstancesAndReportsTheOthers() {
    EcsHarness ecs = new EcsHarness();
    String connected = ecs.connectedInstance(1024, 1024);
    String disconnected = ecs.instance(1024, 1024);
    String draining = ecs.connectedInstance(1024, 1024);
    ecs.call(
        "UpdateContainerInstancesState",
        "{\"containerInstances\":[\"%s\"],\"status\":\"DRAINING\"}".formatted(draining));
    ecs.taskDefinition("web", 128, 128, null);

    JsonNode response =
        ecs.call(
            "StartTask",
            """
            {"taskDefinition":"web","containerInstances":["%s","%s","%s","nope"]}
            """
                .formatted(connected, disconnected, draining));

    assertThat(response.path("tasks")).hasSize(1);
    assertThat(response.path("tasks").get(0).path("containerInstanceArn").asText())
        .isEqualTo(connected);
    assertThat(response.path("failures").toString())
        .contains("\"AGENT\"", "\"DRAINING\"", "\"MISSING\"");
  }

  @Test
  void deleteClusterIsRefusedWhileItHoldsInstancesOrTasks() {
    EcsHarness ecs = new EcsHarness();
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));

    assertThatThrownBy(() -> ecs.call("DeleteCluster", "{\"cluster\":\"default\"}"))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> assertThat(e.code()).isEqualTo("ClusterContainsContainerInstancesException"));
    ecs.call(
        "DeregisterContainerInstance",
        "{\"containerInstance\":\"%s\",\"force\":true}".formatted(instance));
    // The agent was connected and had not picked the task up: the server stopped it itself.
    assertThat(ecs.task(task).path("lastStatus").asText()).isEqualTo("STOPPED");
    assertThat(
            ecs.call("DeleteCluster", "{\"cluster\":\"default\"}")
                .path("cluster")
                .path("status")
                .asText())
        .isEqualTo("INACTIVE");
  }

  @Test
  void deleteClusterIsRefusedWhileTasksHaveNotStopped() {
    EcsHarness ecs = new EcsHarness();
    String instance = ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String task = firstTaskArn(ecs.runTask("web", 1));
    ecs.report(task, "RUNNING");
    ecs.call(
        "DeregisterContainerInstance",
        "{\"containerInstance\":\"%s\",\"force\":true}".formatted(instance));

    // A running task on a connected agent is only asked to stop: the agent reports STOPPED.
    assertThat(ecs.task(task).path("desiredStatus").asText()).isEqualTo("STOPPED");
    assertThatThrownBy(() -> ecs.call("DeleteCluster", "{\"cluster\":\"default\"}"))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> assertThat(e.code()).isEqualTo("ClusterContainsTasksException"));
  }
}
