package dev.berth.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service controller as specifications: scenarios in a small world ({@link ServiceScenario})
 * with a clock the test moves and no threads, sleeps or store.
 */
class ServiceScenariosTest {
  @Test
  void threeTasksOneDiesOneReplacement() {
    ServiceScenario world = ServiceScenario.replica(3).instances("a", "b", "c");
    world.settle(5);
    assertThat(world.live()).hasSize(3);
    assertThat(world.service().steady()).isTrue();
    Task victim = world.live().get(1);

    world.kill(victim);
    ServiceController.Decision decision = world.pass();

    assertThat(decision.starts()).isEqualTo(1);
    assertThat(decision.stops()).isEmpty();
    world.settle(5);
    assertThat(world.live()).hasSize(3).extracting(Task::arn).doesNotContain(victim.arn());
    assertThat(world.tasks()).hasSize(4);
    assertThat(world.service().steady()).isTrue();
  }

  @Test
  void deploymentFailingThreeTasksRollsBackToLastCompleted() {
    ServiceScenario world = ServiceScenario.replica(2).instances("a", "b");
    world.settle(5);
    ServiceDeployment completed = world.service().primary();
    assertThat(completed.rolloutState()).isEqualTo(ServiceDeployment.COMPLETED);
    List<String> goodTasks = world.live().stream().map(Task::arn).toList();

    String broken = ServiceScenario.definition(2);
    world.crashing(broken);
    world.deploy(broken);
    ServiceDeployment failing = world.service().primary();
    world.settle(10);

    // The threshold is 3 (at least 3, else half the desired count); the tasks start two at a
    // time (200% of 2 is 4 at most), so the breaker sees 2, then 4 failures, and trips. It rolls
    // back to the deployment that completed: a new primary of its task definition.
    ServiceDeployment failed = world.service().deployment(failing.id());
    assertThat(failed.rolloutState()).isEqualTo(ServiceDeployment.FAILED);
    assertThat(failed.failedTasks()).isEqualTo(4);
    assertThat(failed.deploymentStatus()).isEqualTo("ROLLBACK_SUCCESSFUL");
    ServiceDeployment rollback = world.service().primary();
    assertThat(rollback.taskDefinition()).isEqualTo(completed.taskDefinition());
    assertThat(rollback.rolloutState()).isEqualTo(ServiceDeployment.COMPLETED);
    assertThat(world.service().settings().taskDefinition())
        .isEqualTo(ServiceScenario.definition(1));
    assertThat(world.messages())
        .contains(
            "(service web) (deployment "
                + failing.id()
                + ") rolling back to deployment "
                + completed.id()
                + ".");
    // The healthy tasks of the old revision were never stopped for the failing one (the minimum
    // healthy percent kept them); the rollback, a deployment of its own, replaced them in turn.
    assertThat(world.live())
        .hasSize(2)
        .allSatisfy(
            task -> {
              assertThat(task.spec().startedBy()).isEqualTo(rollback.id());
              assertThat(task.spec().taskDefinitionArn()).isEqualTo(ServiceScenario.definition(1));
            });
    assertThat(world.tasks())
        .filteredOn(task -> goodTasks.contains(task.arn()))
        .extracting(task -> task.lifecycle().stoppedReason())
        .containsOnly("Scaling activity initiated by (deployment " + rollback.id() + ")");
  }

  @Test
  void drainingInstanceTasksMoved() {
    ServiceScenario world = ServiceScenario.replica(2).instances("a", "b");
    world.settle(5);
    assertThat(world.placements()).containsExactlyInAnyOrder("a", "b");

    world.instances("c");
    world.drain("a");
    ServiceController.Decision decision = world.pass();

    // A replacement starts first; the task on the draining instance stays while it is the
    // only healthy one to keep the minimum of 100%.
    assertThat(decision.starts()).isEqualTo(1);
    assertThat(decision.stops()).isEmpty();
    world.settle(6);
    assertThat(world.placements()).containsExactlyInAnyOrder("b", "c");
    assertThat(world.tasks())
        .filteredOn(task -> task.containerInstanceArn().equals("a"))
        .singleElement()
        .satisfies(
            task ->
                assertThat(task.lifecycle().stoppedReason())
                    .isEqualTo(ServiceController.DRAINING_REASON));
  }

  @Test
  void daemonFollowsNewInstance() {
    ServiceScenario world = ServiceScenario.daemon().instances("a", "b");
    world.settle(5);
    assertThat(world.placements()).containsExactlyInAnyOrder("a", "b");
    assertThat(world.service().settings().desiredCount()).isEqualTo(2);

    world.instances("c");
    ServiceController.Decision decision = world.pass();

    assertThat(decision.startOn()).containsExactly("c");
    world.settle(5);
    assertThat(world.placements()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(world.service().settings().desiredCount()).isEqualTo(3);
    assertThat(world.service().steady()).isTrue();
  }

  @Test
  void daemonLeavesADrainingInstance() {
    ServiceScenario world = ServiceScenario.daemon().instances("a", "b");
    world.settle(5);

    world.drain("a");
    world.settle(5);

    assertThat(world.placements()).containsExactly("b");
    assertThat(world.service().settings().desiredCount()).isEqualTo(1);
  }

  @Test
  void unhealthyAfterGracePeriodReplaced() {
    ServiceScenario world = ServiceScenario.replica(1, Duration.ofSeconds(60)).instances("a");
    world.settle(5);
    Task task = world.live().get(0);

    world.containersUnhealthy(task);
    world.clock.advance(Duration.ofSeconds(30));
    assertThat(world.pass().stops()).isEmpty();

    world.clock.advance(Duration.ofSeconds(31));
    ServiceController.Decision decision = world.pass();

    assertThat(decision.stops())
        .singleElement()
        .satisfies(stop -> assertThat(stop.reason()).isEqualTo(ServiceController.HEALTH_REASON));
    world.settle(5);
    assertThat(world.live()).hasSize(1).extracting(Task::arn).doesNotContain(task.arn());
  }

  @Test
  void targetNotYetHealthyHoldsTheRolloutThenCompletesIt() {
    ServiceScenario world = ServiceScenario.replica(1).instances("a");
    world.pass();
    Task task = world.live().get(0);
    world.targetHealth(task, AttachmentHealth.Health.INITIAL);
    world.agentStep();
    world.settle(3);
    assertThat(world.service().primary().rolloutState()).isEqualTo(ServiceDeployment.IN_PROGRESS);

    world.targetHealth(task, AttachmentHealth.Health.HEALTHY);
    world.pass();

    assertThat(world.service().primary().rolloutState()).isEqualTo(ServiceDeployment.COMPLETED);
    assertThat(world.messages().get(0)).isEqualTo("(service web) has reached a steady state.");
  }

  @Test
  void aDecisionIsTheSameForTheSameInputs() {
    ServiceScenario world = ServiceScenario.replica(3).instances("a", "b");
    world.pass();
    world.agentStep();
    ServiceController controller =
        new ServiceController(ServiceAttachments.NONE, new java.util.SplittableRandom(1));
    ServiceController.Fleet calm =
        new ServiceControllerTest.FakeFleet(java.util.Set.of(), List.of(), java.util.Set.of());

    ServiceController.Decision first =
        controller.decide(world.service(), world.tasks(), calm, world.clock.millis());
    ServiceController.Decision second =
        controller.decide(world.service(), world.tasks(), calm, world.clock.millis());

    // Nothing is remembered between decisions: the same inputs give the same actions.
    assertThat(second.stops()).isEqualTo(first.stops());
    assertThat(second.starts()).isEqualTo(first.starts());
    assertThat(second.drained()).isEqualTo(first.drained());
    assertThat(second.service().deployments()).isEqualTo(first.service().deployments());
  }
}
