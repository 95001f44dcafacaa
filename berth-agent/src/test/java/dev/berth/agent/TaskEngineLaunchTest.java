package dev.berth.agent;

import static dev.berth.agent.ReportLog.container;
import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.nonEssential;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** A task set with tasks to run: what the engine pulls, creates, starts and reports. */
class TaskEngineLaunchTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void runningTaskIsPulledCreatedStartedAndReportedPendingActivatingRunning() throws Exception {
    Tasks.Placed task =
        newTask(definition("web", container("web"), nonEssential(container("sidecar"))));

    host.send(task);

    SubmitTaskStateChangeRequest pending = host.reports.nextTask(task.arn(), "PENDING");
    assertThat(pending.cluster()).isEqualTo(Tasks.CLUSTER);
    assertThat(pending.pullStartedAt()).isEqualTo(host.clock.instant());
    SubmitTaskStateChangeRequest activating = host.reports.nextTask(task.arn(), "ACTIVATING");
    assertThat(activating.pullStoppedAt()).isNotNull();
    assertThat(activating.containers()).allSatisfy(c -> assertThat(c.runtimeId()).isNotNull());
    SubmitTaskStateChangeRequest running = host.reports.nextTask(task.arn(), "RUNNING");
    assertThat(running.containers())
        .extracting(c -> c.containerName() + " " + c.status())
        .containsExactly("web RUNNING", "sidecar RUNNING");
    assertThat(host.runtime.calls())
        .containsExactly(
            "pull registry.example/web:1",
            "pull registry.example/sidecar:1",
            "create web",
            "create sidecar",
            "start web",
            "start sidecar");
    assertThat(host.runtime.state(container(running, "web").runtimeId())).hasToString("RUNNING");
  }

  @Test
  void sameTaskSetSentTwiceStartsNothingTwice() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web")));

    host.send(task);
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");
    host.send(task);
    // Let the runner go round its watch loop, so a second runner would have had time to act.
    host.settle();

    assertThat(host.runtime.calls(task.arn())).containsExactly("create web", "start web");
    assertThat(host.engine.taskCount()).isEqualTo(1);
    assertThat(host.reports.taskStatuses(task.arn()))
        .containsExactly("PENDING", "ACTIVATING", "RUNNING");
  }

  @Test
  void imageThatCannotBePulledStopsTheTaskWithCannotPullContainerError() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web")));
    host.runtime.failPullOf("registry.example/web:1");

    host.send(task);

    host.reports.nextTask(task.arn(), "PENDING");
    SubmitTaskStateChangeRequest stopped = host.reports.nextTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).startsWith("CannotPullContainerError: ");
    assertThat(stopped.containers()).extracting(c -> c.status()).containsExactly("STOPPED");
    assertThat(host.runtime.calls(task.arn())).isEmpty();
  }
}
