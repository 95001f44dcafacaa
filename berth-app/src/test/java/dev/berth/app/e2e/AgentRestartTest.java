package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.DockerTestAccess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * An agent that goes away and comes back over the same data directory, as after a crash or an
 * upgrade: it adopts the containers it left running instead of starting its tasks twice, and
 * reports the tasks whose containers vanished meanwhile as stopped.
 */
class AgentRestartTest {
  private static LocalBerth berth;
  private static String web;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
    web =
        berth.register(
            "web",
            berth
                .container("web")
                .portMappings(Http.dynamicHostPort(8080))
                .command(Shell.serve("/www", "mkdir -p /www && echo adopted > /www/index.html")));
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void restartedAgentAdoptsTheContainersItLeftRunning() {
    Task before = berth.runAndAwaitRunning(web);
    String runtimeId = before.containers().get(0).runtimeId();
    String instanceArn = berth.agent().containerInstanceArn();
    int port = Http.hostPort(before, "web", 8080);

    berth.stopAgent();
    berth.awaitAgentConnected(false);
    assertThat(runningIds(before.taskArn())).containsExactly(runtimeId);
    berth.startAgent();

    assertThat(berth.agent().containerInstanceArn()).isEqualTo(instanceArn);
    // Give the new agent time to act on its task set: nothing may change meanwhile.
    await("the task left as it was")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                berth.containersOf(before.taskArn()).size() == 1
                    && runningIds(before.taskArn()).equals(List.of(runtimeId))
                    && "RUNNING".equals(berth.describe(before.taskArn()).lastStatus()));
    Task after = berth.describe(before.taskArn());
    assertThat(after.containers().get(0).runtimeId()).isEqualTo(runtimeId);
    assertThat(after.startedAt()).isEqualTo(before.startedAt());
    assertThat(Http.awaitGet(port, "/")).isEqualTo("adopted\n");

    // The new agent watches what it adopted: a kill of the container stops the task.
    DockerTestAccess.client(berth.docker()).killContainerCmd(runtimeId).exec();
    Task stopped = berth.awaitStatus(before.taskArn(), "STOPPED");
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    assertThat(stopped.containers().get(0).exitCode()).isEqualTo(137);
  }

  @Test
  void taskWhoseContainersWereRemovedWhileTheAgentWasDownIsReportedStopped() {
    Task before = berth.runAndAwaitRunning(web);
    String runtimeId = before.containers().get(0).runtimeId();

    berth.stopAgent();
    berth.docker().remove(runtimeId);
    berth.startAgent();

    Task stopped = berth.awaitStatus(before.taskArn(), "STOPPED");
    assertThat(stopped.stoppedReason()).contains("removed while the agent was not running");
    Container web = stopped.containers().get(0);
    assertThat(web.lastStatus()).isEqualTo("STOPPED");
    assertThat(web.reason()).contains("removed");
    await("no container started in its place")
        .during(Duration.ofSeconds(2))
        .atMost(PATIENCE)
        .until(() -> berth.containersOf(before.taskArn()).isEmpty());
  }

  private static List<String> runningIds(String taskArn) {
    return berth.containersOf(taskArn).stream()
        .filter(c -> c.state() == ContainerState.RUNNING)
        .map(ContainerSummary::id)
        .toList();
  }
}
