package dev.berth.server.ecs;

import static dev.berth.server.ecs.EcsHarness.firstTaskArn;
import static dev.berth.server.ecs.EcsHarness.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a task moves through its lifecycle as its agent reports, and what it reserves meanwhile. */
class TaskLifecycleTest {
  private final EcsHarness ecs = new EcsHarness();

  private String runningTask() {
    ecs.taskDefinition("web", 256, 512, 8080);
    String task = firstTaskArn(ecs.runTask("web", 1));
    ecs.report(task, "PENDING");
    ecs.report(task, "RUNNING");
    return task;
  }

  @Test
  void newTasksAreProvisioningAndDesiredRunning() {
    ecs.connectedInstance(1024, 2048);
    ecs.taskDefinition("web", 256, 512, null);

    JsonNode task = ecs.runTask("web", 1).path("tasks").get(0);

    assertThat(task.path("lastStatus").asText()).isEqualTo("PROVISIONING");
    assertThat(task.path("desiredStatus").asText()).isEqualTo("RUNNING");
    assertThat(task.path("version").asLong()).isEqualTo(1);
    assertThat(task.path("containers").get(0).path("lastStatus").asText()).isEqualTo("PENDING");
  }

  @Test
  void reportsOnlyMoveATaskForward() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();
    long version = ecs.task(task).path("version").asLong();

    ecs.report(task, "PENDING");
    ecs.report(task, "PROVISIONING");

    JsonNode described = ecs.task(task);
    assertThat(described.path("lastStatus").asText()).isEqualTo("RUNNING");
    assertThat(described.path("version").asLong()).isEqualTo(version);
  }

  @Test
  void aRepeatedReportWritesNothing() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();
    int commits = ecs.store.commits();

    JsonNode ack = ecs.report(task, "RUNNING");

    assertThat(ack.path("acknowledgment").asText()).isEqualTo("ACK");
    assertThat(ecs.store.commits()).isEqualTo(commits);
  }

  @Test
  void runningStampsStartedAtOnce() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();
    JsonNode startedAt = ecs.task(task).path("startedAt");

    ecs.clock.advance(Duration.ofMinutes(1));
    ecs.report(task, "RUNNING");

    assertThat(startedAt.isNumber()).isTrue();
    assertThat(ecs.task(task).path("startedAt")).isEqualTo(startedAt);
  }

  @Test
  void aStoppedTaskReleasesWhatItReserved() {
    String instance = ecs.connectedInstance(1024, 2048);
    String task = runningTask();
    JsonNode reserved = ecs.instanceView(instance);
    assertThat(resource(reserved.path("remainingResources"), "CPU")).isEqualTo(768);
    assertThat(resource(reserved.path("remainingResources"), "MEMORY")).isEqualTo(1536);
    assertThat(ports(reserved.path("remainingResources"))).contains("22", "8080");
    assertThat(reserved.path("runningTasksCount").asInt()).isEqualTo(1);

    ecs.report(task, "STOPPED");

    JsonNode released = ecs.instanceView(instance);
    assertThat(resource(released.path("remainingResources"), "CPU")).isEqualTo(1024);
    assertThat(resource(released.path("remainingResources"), "MEMORY")).isEqualTo(2048);
    assertThat(ports(released.path("remainingResources"))).containsExactly("22");
    assertThat(released.path("runningTasksCount").asInt()).isZero();
    assertThat(released.path("version").asLong()).isGreaterThan(reserved.path("version").asLong());
  }

  @Test
  void aTaskThatEndsAfterRunningStopsAsEssentialContainerExited() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();

    ecs.call(
        "SubmitContainerStateChange",
        """
        {"cluster":"default","task":"%s","containerName":"app","status":"STOPPED","exitCode":3,
         "reason":"exited"}
        """
            .formatted(task));
    ecs.report(task, "STOPPED");

    JsonNode stopped = ecs.task(task);
    assertThat(stopped.path("lastStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.path("desiredStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.path("stopCode").asText()).isEqualTo("EssentialContainerExited");
    assertThat(stopped.path("stoppedReason").asText())
        .isEqualTo("Essential container in task exited");
    assertThat(stopped.has("stoppedAt")).isTrue();
    assertThat(stopped.has("executionStoppedAt")).isTrue();
    assertThat(stopped.has("stoppingAt")).isTrue();
    assertThat(stopped.path("containers").get(0).path("exitCode").asInt()).isEqualTo(3);
  }

  @Test
  void aTaskThatNeverRanStopsAsTaskFailedToStart() {
    ecs.connectedInstance(1024, 2048);
    ecs.taskDefinition("web", 256, 512, null);
    String task = firstTaskArn(ecs.runTask("web", 1));

    ecs.call(
        "SubmitTaskStateChange",
        """
        {"cluster":"default","task":"%s","status":"STOPPED",
         "reason":"CannotPullContainerError: no such image"}
        """
            .formatted(task));

    JsonNode stopped = ecs.task(task);
    assertThat(stopped.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
    assertThat(stopped.path("stoppedReason").asText())
        .isEqualTo("CannotPullContainerError: no such image");
    assertThat(stopped.has("startedAt")).isFalse();
    assertThat(stopped.path("containers").get(0).path("lastStatus").asText()).isEqualTo("STOPPED");
  }

  @Test
  void stopTaskKeepsItsCodeAndReasonThroughTheAgentsStoppedReport() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();

    JsonNode stopping =
        ecs.call(
                "StopTask",
                "{\"cluster\":\"default\",\"task\":\"%s\",\"reason\":\"done\"}".formatted(task))
            .path("task");
    JsonNode again =
        ecs.call("StopTask", "{\"cluster\":\"default\",\"task\":\"%s\"}".formatted(task))
            .path("task");
    ecs.report(task, "STOPPED");

    assertThat(stopping.path("desiredStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopping.path("lastStatus").asText()).isEqualTo("RUNNING");
    assertThat(again.path("version")).isEqualTo(stopping.path("version"));
    JsonNode stopped = ecs.task(task);
    assertThat(stopped.path("stopCode").asText()).isEqualTo("UserInitiated");
    assertThat(stopped.path("stoppedReason").asText()).isEqualTo("done");
  }

  @Test
  void containerReportsRecordWhatTheAgentKnowsAndIgnoreStaleOnes() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();
    String running =
        """
        {"cluster":"default","task":"%s","containerName":"app","status":"RUNNING",
         "runtimeId":"abc123","networkBindings":[{"bindIP":"0.0.0.0","containerPort":80,
         "hostPort":8080,"protocol":"tcp"}]}
        """
            .formatted(task);

    ecs.call("SubmitContainerStateChange", running);
    ecs.call(
        "SubmitContainerStateChange",
        "{\"cluster\":\"default\",\"task\":\"%s\",\"containerName\":\"app\",\"status\":\"STOPPED\",\"exitCode\":0}"
            .formatted(task));
    ecs.call("SubmitContainerStateChange", running);

    JsonNode container = ecs.task(task).path("containers").get(0);
    assertThat(container.path("lastStatus").asText()).isEqualTo("STOPPED");
    assertThat(container.path("runtimeId").asText()).isEqualTo("abc123");
    assertThat(container.path("exitCode").asInt()).isZero();
    assertThat(container.path("networkBindings").get(0).path("hostPort").asInt()).isEqualTo(8080);
  }

  @Test
  void reportsForUnknownTasksOrContainersAreInvalidParameters() {
    ecs.connectedInstance(1024, 2048);
    String task = runningTask();

    assertThatThrownBy(() -> ecs.report("0123456789abcdef0123456789abcdef", "RUNNING"))
        .isInstanceOf(AwsException.class)
        .hasMessage("The referenced task was not found.");
    assertThatThrownBy(() -> ecs.report(task, "EXPLODED"))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    assertThatThrownBy(
            () ->
                ecs.call(
                    "SubmitContainerStateChange",
                    "{\"cluster\":\"default\",\"task\":\"%s\",\"containerName\":\"nope\",\"status\":\"RUNNING\"}"
                        .formatted(task)))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
  }

  private static java.util.List<String> ports(JsonNode resources) {
    java.util.List<String> ports = new java.util.ArrayList<>();
    for (JsonNode resource : resources) {
      if (resource.path("name").asText().equals("PORTS")) {
        resource.path("stringSetValue").forEach(port -> ports.add(port.asText()));
      }
    }
    return ports;
  }
}
