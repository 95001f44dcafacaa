package dev.berth.agent;

import static dev.berth.agent.ReportLog.container;
import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.dependsOn;
import static dev.berth.agent.Tasks.healthCheck;
import static dev.berth.agent.Tasks.newTask;
import static dev.berth.agent.Tasks.nonEssential;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * Container dependencies: a container starts only once every container it dependsOn has met its
 * condition, and a condition that can never be met stops the task with a reason. Each dependent
 * comes first in its definition, so definition order alone would start it too early.
 */
class TaskRunnerDependsOnTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void startDependencyStartsBeforeItsDependent() throws Exception {
    Tasks.Placed task =
        newTask(definition("app", dependsOn(container("app"), "db", "START"), container("db")));

    host.send(task);

    host.reports.awaitTask(task.arn(), "RUNNING");
    assertThat(host.runtime.calls(task.arn()))
        .containsExactly("create app", "create db", "start db", "start app");
  }

  @Test
  void completeDependencyLetsItsDependentStartOnceItExitsWhateverTheCode() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app",
                dependsOn(container("app"), "migrate", "COMPLETE"),
                nonEssential(container("migrate"))));

    host.send(task);
    host.reports.nextTask(task.arn(), "PENDING");
    host.reports.nextTask(task.arn(), "ACTIVATING");
    host.runtime.awaitCall("start migrate");
    host.settle();
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app");

    host.runtime.exit("migrate", 3);

    SubmitTaskStateChangeRequest running = host.reports.nextTask(task.arn(), "RUNNING");
    assertThat(host.runtime.calls(task.arn())).endsWith("start migrate", "start app");
    assertThat(container(running, "migrate").status()).isEqualTo("STOPPED");
    assertThat(container(running, "migrate").exitCode()).isEqualTo(3);
    assertThat(container(running, "app").status()).isEqualTo("RUNNING");
  }

  @Test
  void successDependencyLetsItsDependentStartOnceItExitsWithZero() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app",
                dependsOn(container("app"), "migrate", "SUCCESS"),
                nonEssential(container("migrate"))));

    host.send(task);
    host.runtime.awaitCall("start migrate");
    host.settle();
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app");

    host.runtime.exit("migrate", 0);

    host.reports.awaitTask(task.arn(), "RUNNING");
    assertThat(host.runtime.calls(task.arn())).endsWith("start migrate", "start app");
  }

  @Test
  void successDependencyExitingNonZeroNeverStartsItsDependentAndStopsTheTask() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app",
                dependsOn(container("app"), "migrate", "SUCCESS"),
                nonEssential(container("migrate"))));

    host.send(task);
    host.runtime.awaitCall("start migrate");
    host.runtime.exit("migrate", 1);

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).contains("app").contains("cannot start");
    assertThat(host.reports.taskStatuses(task.arn())).doesNotContain("RUNNING");
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app");
    assertThat(container(stopped, "migrate").exitCode()).isEqualTo(1);
    assertThat(container(stopped, "app").status()).isEqualTo("STOPPED");
  }

  @Test
  void healthyDependencyLetsItsDependentStartOnceItsHealthCheckPasses() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app", dependsOn(container("app"), "db", "HEALTHY"), healthCheck(container("db"))));

    host.send(task);
    host.runtime.awaitCall("start db");
    host.settle();
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app");

    host.runtime.turnHealthy("db");

    host.reports.awaitTask(task.arn(), "RUNNING");
    assertThat(host.runtime.calls(task.arn())).endsWith("start db", "start app");
    assertThat(host.reports.nextHealth())
        .isEqualTo(new ReportLog.Health(task.arn(), Map.of("db", "HEALTHY")));

    host.runtime.turnUnhealthy("db");

    assertThat(host.reports.nextHealth())
        .isEqualTo(new ReportLog.Health(task.arn(), Map.of("db", "UNHEALTHY")));
  }

  @Test
  void healthyDependencyTurningUnhealthyNeverStartsItsDependentAndStopsTheTask() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app", dependsOn(container("app"), "db", "HEALTHY"), healthCheck(container("db"))));

    host.send(task);
    host.runtime.awaitCall("start db");
    host.runtime.turnUnhealthy("db");

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).contains("app");
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app").contains("stop db 30s");
  }

  @Test
  void dependencyNotMetWithinTheStartTimeoutStopsTheTask() throws Exception {
    Tasks.Placed task =
        newTask(
            definition(
                "app",
                dependsOn(container("app"), "db", "HEALTHY").put("startTimeout", 60),
                healthCheck(container("db"))));

    host.send(task);
    host.runtime.awaitCall("start db");
    host.settle();
    assertThat(host.reports.taskStatuses(task.arn())).doesNotContain("STOPPED");

    host.clock.advance(Duration.ofSeconds(61));

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).contains("Timed out").contains("app");
    assertThat(host.runtime.calls(task.arn())).doesNotContain("start app");
  }

  @Test
  void startTimeoutOfOneContainerHoldsEvenWhenAnotherWaitingContainerSetsNone() throws Exception {
    // ECS's startTimeout is per container: worker setting none must not lift app's.
    Tasks.Placed task =
        newTask(
            definition(
                "app",
                dependsOn(container("app"), "db", "HEALTHY").put("startTimeout", 60),
                dependsOn(container("worker"), "app", "START"),
                healthCheck(container("db"))));

    host.send(task);
    host.runtime.awaitCall("start db");
    host.settle();
    host.clock.advance(Duration.ofSeconds(61));

    SubmitTaskStateChangeRequest stopped = host.reports.awaitTask(task.arn(), "STOPPED");
    assertThat(stopped.reason()).contains("Timed out").contains("app");
  }
}
