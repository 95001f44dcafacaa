package dev.berth.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Json;
import dev.berth.server.ecs.shape.DeploymentCircuitBreaker;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.ecs.state.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The controller's decisions on hand-made services and tasks, with a fake fleet. */
class ServiceControllerTest {
  private static final String ARN = "arn:aws:ecs:us-east-1:000000000000:service/c/web";
  private static final String V1 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";
  private static final String V2 = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2";
  private static final long NOW = 1_000_000;

  private final ServiceController controller =
      new ServiceController(ServiceAttachments.NONE, new SplittableRandom(1));
  private int ids;

  /** A fleet of ACTIVE instances, some draining, some still running other tasks. */
  record FakeFleet(Set<String> draining, List<String> daemonTargets, Set<String> busy)
      implements ServiceController.Fleet {
    @Override
    public boolean draining(String instanceArn) {
      return draining.contains(instanceArn);
    }

    @Override
    public List<String> daemonInstances(Service service) {
      return daemonTargets;
    }

    @Override
    public boolean onlyDaemonTasksLeft(String instanceArn) {
      return !busy.contains(instanceArn);
    }
  }

  private static final FakeFleet CALM = new FakeFleet(Set.of(), List.of(), Set.of());

  private static ServiceSettings settings(
      String strategy, int desired, int minimum, int maximum, boolean breaker) {
    return ServiceSettings.builder(V2)
        .schedulingStrategy(strategy)
        .desiredCount(desired)
        .deploymentConfiguration(
            DeploymentConfiguration.of(
                minimum, maximum, new DeploymentCircuitBreaker(breaker, true)))
        .build();
  }

  /** A service rolling from a COMPLETED deployment of V1 to an IN_PROGRESS one of V2. */
  private static Service rolling(ServiceSettings settings) {
    List<ServiceDeployment> deployments =
        Deployments.start(
            ARN,
            List.of(),
            V1,
            settings.deploymentConfiguration(),
            null,
            0,
            new SplittableRandom(2));
    ServiceDeployment first =
        deployments.get(0).withRollout(ServiceDeployment.COMPLETED, "done", 0);
    deployments =
        Deployments.start(
            ARN,
            List.of(first),
            V2,
            settings.deploymentConfiguration(),
            null,
            1,
            new SplittableRandom(3));
    return new Service(
        ARN,
        "web",
        "arn:aws:ecs:us-east-1:000000000000:cluster/c",
        Service.ACTIVE,
        settings,
        List.of(),
        deployments,
        List.of(),
        false,
        0,
        "me",
        null,
        1);
  }

  private Task task(ServiceDeployment deployment, String instance, String status, String stopCode) {
    String id = "t" + ids++;
    TaskSpec spec =
        new TaskSpec(
            "arn:aws:ecs:us-east-1:000000000000:task/c/" + id,
            "arn:aws:ecs:us-east-1:000000000000:cluster/c",
            deployment.taskDefinition(),
            instance,
            "EC2",
            null,
            null,
            Json.object(),
            deployment.id(),
            "service:web",
            null,
            List.of(),
            false,
            Resources.NONE,
            ids);
    TaskLifecycle lifecycle = TaskLifecycle.provisioning(0);
    if (!status.equals(TaskLifecycle.PROVISIONING)) {
      lifecycle = lifecycle.reported(TaskLifecycle.RUNNING, null, null, null, null, 10);
    }
    if (status.equals(TaskLifecycle.STOPPED)) {
      lifecycle = lifecycle.reported(TaskLifecycle.STOPPED, null, null, null, null, 20);
      lifecycle =
          new TaskLifecycle(
              lifecycle.lastStatus(),
              lifecycle.desiredStatus(),
              lifecycle.healthStatus(),
              lifecycle.connectivity(),
              lifecycle.connectivityAt(),
              null,
              null,
              lifecycle.startedAt(),
              lifecycle.stoppingAt(),
              lifecycle.stoppedAt(),
              lifecycle.executionStoppedAt(),
              stopCode,
              "exited");
    }
    return new Task(spec, lifecycle, List.of(), List.of(), 1);
  }

  @Test
  void aRollingUpdateStartsUpToTheMaximumAndStopsDownToTheMinimum() {
    Service service = rolling(settings("REPLICA", 4, 50, 150, false));
    ServiceDeployment old = service.deployments().get(1);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(task(old, "i" + i, TaskLifecycle.RUNNING, null));
    }

    ServiceController.Decision decision = controller.decide(service, tasks, CALM, NOW);

    // 150% of 4 is 6, so 2 new tasks may start beside the 4; 50% of 4 is 2 healthy to keep.
    assertThat(decision.starts()).isEqualTo(2);
    assertThat(decision.stops()).hasSize(2);
    assertThat(decision.stops())
        .allSatisfy(
            stop ->
                assertThat(stop.reason())
                    .isEqualTo(
                        "Scaling activity initiated by (deployment "
                            + service.primary().id()
                            + ")"));
  }

  @Test
  void minimumHealthyRoundsUpAndMaximumRoundsDown() {
    Service service = rolling(settings("REPLICA", 3, 50, 150, false));
    ServiceDeployment old = service.deployments().get(1);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(task(old, "i" + i, TaskLifecycle.RUNNING, null));
    }

    ServiceController.Decision decision = controller.decide(service, tasks, CALM, NOW);

    // ceil(1.5) = 2 healthy kept, so 1 stop; floor(4.5) = 4 at most, so 1 start.
    assertThat(decision.stops()).hasSize(1);
    assertThat(decision.starts()).isEqualTo(1);
  }

  @Test
  void theCircuitBreakerTripsAtItsThresholdAndRollsBackToTheCompletedDeployment() {
    Service service = rolling(settings("REPLICA", 2, 100, 200, true));
    ServiceDeployment primary = service.primary();
    ServiceDeployment old = service.deployments().get(1);
    List<Task> tasks = new ArrayList<>();
    tasks.add(task(old, "i0", TaskLifecycle.RUNNING, null));
    tasks.add(task(old, "i1", TaskLifecycle.RUNNING, null));
    tasks.add(task(primary, "i0", TaskLifecycle.STOPPED, "EssentialContainerExited"));
    tasks.add(task(primary, "i1", TaskLifecycle.STOPPED, "TaskFailedToStart"));

    Service afterTwo = controller.decide(service, tasks, CALM, NOW).service();
    assertThat(afterTwo.primary().id()).isEqualTo(primary.id());
    assertThat(afterTwo.primary().failedTasks()).isEqualTo(2);

    tasks.add(task(primary, "i0", TaskLifecycle.STOPPED, "EssentialContainerExited"));
    ServiceController.Decision decision = controller.decide(afterTwo, tasks, CALM, NOW);

    Service after = decision.service();
    ServiceDeployment failed = after.deployment(primary.id());
    assertThat(failed.rolloutState()).isEqualTo("FAILED");
    // Its tasks have all stopped, so it holds none any more.
    assertThat(failed.status()).isEqualTo("INACTIVE");
    assertThat(failed.deploymentStatus()).isEqualTo("ROLLBACK_IN_PROGRESS");
    assertThat(after.primary().taskDefinition()).isEqualTo(V1);
    assertThat(after.primary().rolloutStateReason())
        .isEqualTo(
            "ECS deployment circuit breaker: rolling back to deploymentId " + old.id() + ".");
    assertThat(after.settings().taskDefinition()).isEqualTo(V1);
    assertThat(after.events().get(0).message())
        .isEqualTo(
            "(service web) (deployment "
                + primary.id()
                + ") rolling back to deployment "
                + old.id()
                + ".");
    assertThat(after.events().get(1).message())
        .isEqualTo(
            "(service web) (deployment "
                + primary.id()
                + ") deployment failed: tasks failed to start.");
    // The old tasks now belong to a deployment that is not the primary: they are replaced
    // within the limits (200% lets 2 start), not all stopped at once.
    assertThat(decision.starts()).isEqualTo(2);
    assertThat(decision.stops()).isEmpty();
  }

  @Test
  void aRollbackThatFailsInTurnIsNotRolledBackAgain() {
    Service service = rolling(settings("REPLICA", 1, 100, 200, true));
    ServiceDeployment primary = service.primary();
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(task(primary, "i0", TaskLifecycle.STOPPED, "TaskFailedToStart"));
    }
    Service rolledBack = controller.decide(service, tasks, CALM, NOW).service();
    ServiceDeployment rollback = rolledBack.primary();
    assertThat(rollback.taskDefinition()).isEqualTo(V1);
    for (int i = 0; i < 3; i++) {
      tasks.add(task(rollback, "i0", TaskLifecycle.STOPPED, "TaskFailedToStart"));
    }

    ServiceController.Decision decision = controller.decide(rolledBack, tasks, CALM, NOW + 1);

    Service after = decision.service();
    assertThat(after.primary().id()).isEqualTo(rollback.id());
    assertThat(after.primary().rolloutState()).isEqualTo("FAILED");
    assertThat(after.deployment(primary.id()).deploymentStatus()).isEqualTo("ROLLBACK_FAILED");
    assertThat(decision.starts()).isZero();
    assertThat(controller.decide(after, tasks, CALM, NOW + 2).service().primary().id())
        .isEqualTo(rollback.id());
  }

  @Test
  void aDaemonTaskLeavesADrainingInstanceOnlyAfterItsOtherTasks() {
    Service service = rolling(settings("DAEMON", 0, 0, 100, false));
    ServiceDeployment primary = service.primary();
    Task onDraining = task(primary, "drained", TaskLifecycle.RUNNING, null);
    Task onActive = task(primary, "active", TaskLifecycle.RUNNING, null);
    List<Task> tasks = List.of(onDraining, onActive);

    FakeFleet stillBusy = new FakeFleet(Set.of("drained"), List.of("active"), Set.of("drained"));
    assertThat(controller.decide(service, tasks, stillBusy, NOW).stops()).isEmpty();

    FakeFleet emptied = new FakeFleet(Set.of("drained"), List.of("active"), Set.of());
    ServiceController.Decision decision = controller.decide(service, tasks, emptied, NOW);
    assertThat(decision.stops())
        .singleElement()
        .satisfies(
            stop -> {
              assertThat(stop.task().arn()).isEqualTo(onDraining.arn());
              assertThat(stop.reason()).isEqualTo(ServiceController.DRAINING_REASON);
            });
    assertThat(decision.startOn()).isEmpty();
    assertThat(decision.service().settings().desiredCount()).isEqualTo(1);
  }

  @Test
  void aDaemonStartsOnEveryTargetWithoutATask() {
    Service service = rolling(settings("DAEMON", 0, 0, 100, false));
    FakeFleet fleet = new FakeFleet(Set.of(), List.of("a", "b"), Set.of());
    ServiceController.Decision decision =
        controller.decide(
            service,
            List.of(task(service.primary(), "a", TaskLifecycle.RUNNING, null)),
            fleet,
            NOW);
    assertThat(decision.startOn()).containsExactly("b");
  }
}
