package dev.berth.agent;

import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.PortBinding.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host ports: a task holds its static host ports while it runs and gives them back when it stops,
 * so the next task that asks for the same port gets it.
 */
class TaskEngineHostPortTest {
  private final int port = EngineFixture.freePort();
  private final ObjectNode web = definition("web", publish(container("web"), 80, port));
  private EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void stoppedTaskGivesItsStaticHostPortToTheNextTask() throws Exception {
    Tasks.Placed first = newTask(web);
    host.send(first);
    host.reports.awaitTask(first.arn(), "RUNNING");
    assertThat(host.ports.isInUse(port, Protocol.TCP)).isTrue();

    host.send(first.stopped("Task stopped by the user"));
    host.reports.awaitTask(first.arn(), "STOPPED");

    assertThat(host.ports.isInUse(port, Protocol.TCP))
        .as("host port %d still marked in use after its task stopped", port)
        .isFalse();
    Tasks.Placed second = newTask(web);
    host.send(second);
    host.reports.nextTask(second.arn(), "PENDING");
    host.reports.nextTask(second.arn(), "ACTIVATING");
    host.reports.nextTask(second.arn(), "RUNNING");
  }

  @Test
  void taskWhoseContainerCannotBeCreatedGivesItsStaticHostPortBack() throws Exception {
    host.runtime.failCreateOf("web");
    Tasks.Placed failed = newTask(web);
    host.send(failed);
    assertThat(host.reports.awaitTask(failed.arn(), "STOPPED").reason())
        .startsWith("CannotCreateContainerError: ");

    assertThat(host.ports.isInUse(port, Protocol.TCP))
        .as("host port %d still marked in use after its container failed to create", port)
        .isFalse();
  }

  @Test
  void cleaningUpAStoppedTaskLeavesTheHostPortOfTheTaskNowHoldingIt() throws Exception {
    // The engine waits for clean-up on its clock: the second task claims the port first, and the
    // first task's clean-up runs only once the test moves the clock past the wait.
    host.close();
    host = new EngineFixture(Duration.ofSeconds(1));
    ObjectNode withVolume = web.deepCopy();
    withVolume
        .putArray("volumes")
        .addObject()
        .put("name", "scratch")
        .putObject("dockerVolumeConfiguration")
        .put("scope", "task");
    Tasks.Placed first = newTask(withVolume);
    host.send(first);
    host.reports.awaitTask(first.arn(), "RUNNING");
    // Removed behind the agent's back: the runner still knows the container's ports and gives
    // them back at stop; its clean-up then gives them back a second time.
    host.runtime.vanish("web");
    host.reports.awaitTask(first.arn(), "STOPPED");
    // The runner gives the ports back just after it reports STOPPED, not before.
    await().atMost(FakeRuntime.WAIT).until(() -> !host.ports.isInUse(port, Protocol.TCP));
    Tasks.Placed second = newTask(web);
    host.send(second);
    host.reports.awaitTask(second.arn(), "RUNNING");
    assertThat(host.runtime.calls(first.arn())).doesNotContain("remove web");
    host.clock.advance(Duration.ofSeconds(1));

    // The task's volume is the last thing its clean-up removes.
    String taskId = first.arn().substring(first.arn().lastIndexOf('/') + 1);
    host.runtime.awaitCall("removeVolume ecs-web-1-scratch-" + taskId);

    assertThat(host.runtime.calls(second.arn())).containsExactly("create web", "start web");
    assertThat(host.runtime.calls(first.arn())).endsWith("remove web");
    assertThat(host.ports.isInUse(port, Protocol.TCP))
        .as("host port %d of the running task %s", port, second.arn())
        .isTrue();
  }
}
