package dev.berth.server.ecs;

import static dev.berth.server.ecs.EcsHarness.firstTaskArn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stopped tasks stay describable for the retention period, then pruning forgets them. */
class TaskRetentionTest {
  private final EcsHarness ecs = new EcsHarness();

  @Test
  void stoppedTasksArePrunedOnlyAfterTheRetention() {
    ecs.connectedInstance(1024, 1024);
    ecs.taskDefinition("web", 128, 128, null);
    String stopped = firstTaskArn(ecs.runTask("web", 1));
    String running = firstTaskArn(ecs.runTask("web", 1));
    ecs.report(stopped, "STOPPED");
    ecs.report(running, "RUNNING");

    ecs.clock.advance(Duration.ofMinutes(59));
    assertThat(ecs.service.pruneStoppedTasks().join()).isZero();
    assertThat(ecs.task(stopped).path("lastStatus").asText()).isEqualTo("STOPPED");
    assertThat(ecs.store.get("task-update", stopped)).as("the task's stopped version").isNotNull();

    ecs.clock.advance(Duration.ofMinutes(2));
    assertThat(ecs.service.pruneStoppedTasks().join()).isEqualTo(1);

    assertThat(
            ecs.call("DescribeTasks", "{\"tasks\":[\"%s\"]}".formatted(stopped))
                .path("failures")
                .get(0)
                .path("reason")
                .asText())
        .isEqualTo("MISSING");
    assertThat(ecs.store.get("task", stopped)).isNull();
    assertThat(ecs.store.get("task-update", stopped)).isNull();
    assertThat(ecs.task(running).path("lastStatus").asText()).isEqualTo("RUNNING");
  }

  @Test
  void deregisteredInstancesWithoutTasksArePrunedToo() {
    String instance = ecs.instance(1024, 1024);
    ecs.call("DeregisterContainerInstance", "{\"containerInstance\":\"%s\"}".formatted(instance));
    assertThat(ecs.instanceView(instance).path("status").asText()).isEqualTo("INACTIVE");

    ecs.clock.advance(Duration.ofHours(2));
    ecs.service.pruneStoppedTasks().join();

    assertThat(ecs.store.get("container-instance", instance)).isNull();
  }
}
