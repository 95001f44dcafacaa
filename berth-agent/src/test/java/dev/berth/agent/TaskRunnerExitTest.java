package dev.berth.agent;

import static dev.berth.agent.ReportLog.container;
import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.dependsOn;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.nonEssential;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** Containers that exit while their task runs: essential ones end the task, others do not. */
class TaskRunnerExitTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void essentialContainerExitingStopsTheOthersInReverseStartOrderAndStopsTheTask()
      throws Exception {
    // Definition order proxy, web, cache; start order cache, web, proxy.
    Tasks.Placed task =
        newTask(
            definition(
                "shop",
                dependsOn(container("proxy"), "web", "START"),
                dependsOn(container("web"), "cache", "START"),
                container("cache")));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");
    assertThat(host.runtime.calls(task.arn())).endsWith("start cache", "start web", "start proxy");

    host.runtime.exit("web", 2);

    host.reports.nextTask(task.arn(), "STOPPING");
    SubmitTaskStateChangeRequest stopped = host.reports.nextTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
    assertThat(stopped.executionStoppedAt()).isEqualTo(host.clock.instant());
    assertThat(stopped.containers())
        .extracting(c -> c.containerName() + " " + c.status() + " " + c.exitCode())
        .containsExactlyInAnyOrder(
            "web STOPPED 2",
            "proxy STOPPED " + FakeRuntime.SIGTERM_EXIT,
            "cache STOPPED " + FakeRuntime.SIGTERM_EXIT);
    assertThat(host.runtime.calls(task.arn())).endsWith("stop proxy 30s", "stop cache 30s");
  }

  @Test
  void nonEssentialContainerExitingIsReportedAndTheTaskRunsOn() throws Exception {
    Tasks.Placed task =
        newTask(definition("web", container("web"), nonEssential(container("sidecar"))));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");

    host.runtime.exit("sidecar", 1);

    SubmitContainerStateChangeRequest change = host.reports.nextContainer(task.arn());
    assertThat(change.containerName()).isEqualTo("sidecar");
    assertThat(change.status()).isEqualTo("STOPPED");
    assertThat(change.exitCode()).isEqualTo(1);
    assertThat(change.cluster()).isEqualTo(Tasks.CLUSTER);
    host.settle();
    assertThat(host.reports.taskStatuses(task.arn()))
        .containsExactly("PENDING", "ACTIVATING", "RUNNING");
    assertThat(host.runtime.calls(task.arn())).noneMatch(call -> call.startsWith("stop"));
  }

  @Test
  void essentialContainerRemovedBehindTheAgentsBackStopsTheTask() throws Exception {
    Tasks.Placed task =
        newTask(definition("web", container("web"), nonEssential(container("sidecar"))));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");

    host.runtime.vanish("web");

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
    assertThat(container(stopped, "web").status()).isEqualTo("STOPPED");
    assertThat(container(stopped, "web").reason()).isEqualTo("Container was removed");
    assertThat(host.runtime.calls(task.arn())).endsWith("stop sidecar 30s");
  }

  @Test
  void essentialContainerExitingWhileOthersWaitForTheirDependenciesStopsTheTask() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "web",
                container("web"),
                dependsOn(container("worker"), "init", "COMPLETE"),
                nonEssential(container("init"))));
    host.send(task);
    host.runtime.awaitCall("start init");
    // web exits while worker still waits for init to complete: the task stops at once.
    host.runtime.exit("web", 1);

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
    assertThat(container(stopped, "web").exitCode()).isEqualTo(1);
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start worker");
  }
}
