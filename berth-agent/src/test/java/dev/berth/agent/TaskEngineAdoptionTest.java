package dev.berth.agent;

import static dev.berth.agent.ReportLog.container;
import static dev.berth.agent.Tasks.CLUSTER;
import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.nonEssential;
import static dev.berth.agent.Tasks.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.PortBinding;
import dev.berth.agent.runtime.PortBinding.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * An agent starting on a host where an earlier agent ran tasks: it adopts the containers of the
 * tasks the server still lists, reports those whose containers are gone, and stops the rest and
 * removes them once the cleanup wait has passed since they stopped.
 */
class TaskEngineAdoptionTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void labelledContainersOfAListedTaskAreAdoptedNotRecreatedAndReportedRunning() throws Exception {
    int port = EngineFixture.freePort();
    Tasks.Placed task =
        newTask(
                definition(
                    "web", publish(container("web"), 80, port), nonEssential(container("sidecar"))))
            .lastStatus("RUNNING");
    String web =
        host.runtime.place(
            CLUSTER,
            task.arn(),
            "web",
            ContainerState.RUNNING,
            new PortBinding(80, port, Protocol.TCP, "127.0.0.1"));
    String sidecar = host.runtime.place(CLUSTER, task.arn(), "sidecar", ContainerState.RUNNING);

    host.send(task);

    SubmitTaskStateChangeRequest running = host.reports.nextTask(task.arn(), "RUNNING");
    assertThat(container(running, "web").runtimeId()).isEqualTo(web);
    assertThat(container(running, "sidecar").runtimeId()).isEqualTo(sidecar);
    assertThat(container(running, "web").networkBindings())
        .singleElement()
        .satisfies(binding -> assertThat(binding.hostPort()).isEqualTo(port));
    assertThat(host.runtime.calls()).isEmpty();
    assertThat(host.ports.isInUse(port, Protocol.TCP)).isTrue();

    host.runtime.exit("web", 0);

    assertThat(host.reports.awaitTask(task.arn(), "STOPPED").reason())
        .isEqualTo("Essential container in task exited");
    assertThat(host.runtime.calls(task.arn())).containsExactly("stop sidecar 30s");
  }

  @Test
  void taskTheServerSawRunningWhoseContainersAreGoneIsReportedStopped() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web"))).lastStatus("RUNNING");

    host.send(task);

    SubmitTaskStateChangeRequest stopped = host.reports.nextTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).contains("removed");
    assertThat(stopped.containers()).extracting(c -> c.status()).containsExactly("STOPPED");
    assertThat(host.runtime.calls()).isEmpty();
  }

  @Test
  void containersOfTasksTheServerDoesNotListAreStoppedAndRemovedOnceTheirCleanupWaitHasPassed()
      throws Exception {
    String unknownTask = newTask(definition("old", container("old"))).arn();
    host.runtime.place(CLUSTER, unknownTask, "old", ContainerState.RUNNING);
    host.runtime.place(CLUSTER, unknownTask, "done", ContainerState.EXITED);
    String otherCluster =
        host.runtime.place("other", unknownTask, "theirs", ContainerState.RUNNING);
    Tasks.Placed task = newTask(definition("web", container("web")));

    host.send(task);

    // Orphans are stopped in the background, off the channel's thread, and kept an hour.
    await().atMost(FakeRuntime.WAIT).until(() -> host.engine.pendingCleanups() == 1);
    assertThat(host.runtime.calls(unknownTask)).containsExactly("stop old 10s");
    host.clock.advance(Duration.ofMinutes(59));
    assertThat(host.runtime.calls(unknownTask)).containsExactly("stop old 10s");

    host.clock.advance(Duration.ofMinutes(1));

    assertThat(host.runtime.calls(unknownTask))
        .containsExactly("stop old 10s", "remove old", "remove done");
    assertThat(host.runtime.containerIds()).contains(otherCluster);
    assertThat(host.runtime.state(otherCluster)).isEqualTo(ContainerState.RUNNING);
    host.reports.awaitTask(task.arn(), "RUNNING");
  }

  @Test
  void stoppedTaskUnknownToTheServerIsKeptForItsCleanupWaitCountedFromWhenItFinished()
      throws Exception {
    // The task stopped 50 minutes before this agent started, under an earlier one.
    String stoppedTask = newTask(definition("job", container("job"))).arn();
    host.runtime.placeExited(CLUSTER, stoppedTask, "job", 0);
    host.clock.advance(Duration.ofMinutes(50));

    host.send();

    await().atMost(FakeRuntime.WAIT).until(() -> host.engine.pendingCleanups() == 1);
    host.clock.advance(Duration.ofMinutes(9));
    assertThat(host.runtime.calls(stoppedTask)).isEmpty();

    host.clock.advance(Duration.ofMinutes(1));

    assertThat(host.runtime.calls(stoppedTask)).containsExactly("remove job");
  }

  @Test
  void stoppedTaskUnknownToTheServerWhoseCleanupWaitPassedWhileNoAgentRanIsRemovedAtOnce()
      throws Exception {
    String stoppedTask = newTask(definition("job", container("job"))).arn();
    host.runtime.placeExited(CLUSTER, stoppedTask, "job", 0);
    host.clock.advance(Duration.ofHours(2));

    host.send();

    host.runtime.awaitCall("remove job");
    assertThat(host.runtime.calls(stoppedTask)).containsExactly("remove job");
  }

  @Test
  void adoptedTaskWhoseEssentialContainerExitedWhileNoAgentWatchedIsStopped() throws Exception {
    Tasks.Placed task =
        newTask(definition("web", container("web"), nonEssential(container("sidecar"))))
            .lastStatus("RUNNING");
    host.runtime.placeExited(CLUSTER, task.arn(), "web", 1);
    host.runtime.place(CLUSTER, task.arn(), "sidecar", ContainerState.RUNNING);

    host.send(task);

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
    assertThat(container(stopped, "web").exitCode()).isEqualTo(1);
    assertThat(host.runtime.calls(task.arn())).containsExactly("stop sidecar 30s");
  }

  @Test
  void adoptedTaskWhoseContainersWereCreatedButNeverStartedIsNotReportedRunningUnstarted()
      throws Exception {
    // The earlier agent stopped between creating the containers and starting them.
    Tasks.Placed task = newTask(definition("web", container("web"))).lastStatus("ACTIVATING");
    host.runtime.place(CLUSTER, task.arn(), "web", ContainerState.CREATED);

    host.send(task);

    SubmitTaskStateChangeRequest running = host.reports.awaitTask(task.arn(), "RUNNING");
    assertThat(host.runtime.state(container(running, "web").runtimeId()))
        .as("state of the container reported RUNNING")
        .isEqualTo(ContainerState.RUNNING);
  }
}
