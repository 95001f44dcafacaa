package dev.berth.agent;

import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.nonEssential;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** Tasks the server no longer wants run: how the engine stops them and what it reports. */
class TaskEngineStopTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void desiredStatusStoppedStopsTheTaskWithItsStopTimeoutsAndReportsStoppingThenStopped()
      throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "web", container("web").put("stopTimeout", 5), nonEssential(container("sidecar"))));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");

    host.send(task.stopped("Scaling activity initiated by (deployment ecs-svc/1234)"));

    host.reports.nextTask(task.arn(), "STOPPING");
    SubmitTaskStateChangeRequest stopped = host.reports.nextTask(task.arn(), "STOPPED");
    assertThat(stopped.reason())
        .isEqualTo("Scaling activity initiated by (deployment ecs-svc/1234)");
    assertThat(stopped.containers())
        .extracting(c -> c.containerName() + " " + c.status() + " " + c.exitCode())
        .containsExactly(
            "web STOPPED " + FakeRuntime.SIGTERM_EXIT,
            "sidecar STOPPED " + FakeRuntime.SIGTERM_EXIT);
    // Reverse start order, each with its own definition's stop timeout (30 s when it sets none).
    assertThat(host.runtime.calls(task.arn())).endsWith("stop sidecar 30s", "stop web 5s");
  }

  @Test
  void taskLeftOutOfALaterSetIsStopped() throws Exception {
    Tasks.Placed kept = newTask(definition("api", container("api")));
    Tasks.Placed dropped = newTask(definition("web", container("web")));
    host.send(kept, dropped);
    host.reports.awaitTask(kept.arn(), "RUNNING");
    host.reports.awaitTask(dropped.arn(), "RUNNING");

    host.send(kept);

    host.reports.nextTask(dropped.arn(), "STOPPING");
    SubmitTaskStateChangeRequest stopped = host.reports.nextTask(dropped.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Task stopped by the server");
    assertThat(host.runtime.calls(dropped.arn())).endsWith("stop web 30s");
    assertThat(host.runtime.calls(kept.arn())).noneMatch(call -> call.startsWith("stop"));

    host.send(kept);

    assertThat(host.engine.taskCount()).isEqualTo(1);
  }

  @Test
  void taskToldToStopBeforeItEverRanPullsAndCreatesNothing() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web")));

    host.send(task.stopped("Task stopped by the user"));

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Task stopped by the user");
    assertThat(host.runtime.calls()).isEmpty();
  }
}
