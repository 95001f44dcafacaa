package dev.berth.agent;

import static dev.berth.agent.ReportLog.container;
import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * Docker's events drive the runners; the periodic reconcile and a reconnected event stream catch
 * what an event stream missed.
 */
class TaskEngineEventsTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void engineFollowsTheClustersContainerEventsFromTheStart() {
    assertThat(host.runtime.openEventStreams()).isEqualTo(1);
  }

  @Test
  void exitTheEventStreamMissedIsCaughtByThePeriodicReconcile() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web")));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");

    host.runtime.exitSilently("web", 3);
    assertThat(host.reports.taskStatuses(task.arn())).doesNotContain("STOPPING", "STOPPED");
    host.clock.advance(Duration.ofSeconds(15));

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).isEqualTo(TaskRunner.ESSENTIAL_EXITED);
    assertThat(container(stopped, "web").exitCode()).isEqualTo(3);
  }

  @Test
  void brokenEventStreamIsFollowedAgainAndWhatItMissedIsReconciled() throws Exception {
    Tasks.Placed task = newTask(definition("web", container("web")));
    host.send(task);
    host.reports.awaitTask(task.arn(), "RUNNING");

    host.runtime.breakEventStreams();
    host.runtime.exitSilently("web", 7);

    await().atMost(FakeRuntime.WAIT).until(() -> host.runtime.openEventStreams() == 1);
    assertThat(host.runtime.eventSubscriptions()).isEqualTo(2);
    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(container(stopped, "web").exitCode()).isEqualTo(7);
  }

  @Test
  void eventOfAnotherTasksContainerLeavesATaskAlone() throws Exception {
    Tasks.Placed web = newTask(definition("web", container("web")));
    Tasks.Placed job = newTask(definition("job", container("job")));
    host.send(web, job);
    host.reports.awaitTask(web.arn(), "RUNNING");
    host.reports.awaitTask(job.arn(), "RUNNING");

    host.runtime.exit("job", 0);

    host.reports.awaitTask(job.arn(), "STOPPED");
    host.settle();
    assertThat(host.reports.taskStatuses(web.arn()))
        .containsExactly("PENDING", "ACTIVATING", "RUNNING");
  }
}
