package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.Agent;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.DockerTestAccess;
import dev.berth.agent.runtime.EcsLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Services on a real Docker engine through the AWS SDK: steady state and the SDK's waiter, a
 * rolling update watched from outside, a container killed behind Berth's back, a broken revision
 * and the circuit breaker, a daemon following instances, and deletion.
 */
class ServicesTest {
  private static final Duration POLL = Duration.ofMillis(300);
  // The waiter's own 40 attempts would end it after 12 s of polling, whatever PATIENCE says.
  private static final Consumer<WaiterOverrideConfiguration.Builder> QUICK =
      o ->
          o.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(POLL))
              .maxAttempts((int) (PATIENCE.toMillis() / POLL.toMillis()) + 1)
              .waitTimeout(PATIENCE);

  private static LocalBerth berth;
  private static EcsClient ecs;
  private static String cluster;
  private static String idle;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
    ecs = berth.ecs();
    cluster = berth.cluster();
    idle = berth.register("idle", berth.container("main").command(Shell.idle()));
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  private static Service describe(String service) {
    return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
  }

  private static void awaitStable(String service) {
    WaiterResponse<DescribeServicesResponse> answer =
        ecs.waiter().waitUntilServicesStable(r -> r.cluster(cluster).services(service), QUICK);
    assertThat(answer.matched().response()).isPresent();
  }

  /**
   * Waits for the SDK's waiter (one deployment, running as many as desired), then for the scheduler
   * to mark the rollout COMPLETED, which it does on its next pass; returns the service.
   */
  private static Service awaitSteady(String service) {
    awaitStable(service);
    return await(service + " rollout completed")
        .atMost(PATIENCE)
        .until(
            () -> describe(service),
            s -> "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString()));
  }

  /** Returns the service's tasks that have not STOPPED, as DescribeTasks shows them. */
  private static List<Task> liveTasks(String service) {
    // A set: a task asked to stop between the two listings shows up in both.
    java.util.Set<String> arns = new java.util.LinkedHashSet<>();
    for (DesiredStatus desired : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
      arns.addAll(
          ecs.listTasks(r -> r.cluster(cluster).serviceName(service).desiredStatus(desired))
              .taskArns());
    }
    if (arns.isEmpty()) {
      return List.of();
    }
    return ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks().stream()
        .filter(task -> !"STOPPED".equals(task.lastStatus()))
        .toList();
  }

  private static List<ContainerSummary> runningContainers(String taskArn) {
    return berth.docker().list(Map.of(EcsLabels.CLUSTER, cluster, EcsLabels.TASK_ARN, taskArn));
  }

  private static List<String> messages(Service service) {
    return service.events().stream().map(ServiceEvent::message).toList();
  }

  @Test
  void aServiceReachesItsSteadyStateAndDeleteServiceStopsItsContainers() {
    Service created =
        ecs.createService(
                r -> r.cluster(cluster).serviceName("steady").taskDefinition(idle).desiredCount(2))
            .service();
    assertThat(created.status()).isEqualTo("ACTIVE");

    Service steady = awaitSteady("steady");
    assertThat(steady.runningCount()).isEqualTo(2);
    assertThat(steady.deployments()).hasSize(1);
    assertThat(messages(steady)).contains("(service steady) has reached a steady state.");
    List<Task> tasks = liveTasks("steady");
    assertThat(tasks).hasSize(2);
    for (Task task : tasks) {
      assertThat(task.group()).isEqualTo("service:steady");
      assertThat(task.startedBy()).isEqualTo(steady.deployments().get(0).id());
      assertThat(runningContainers(task.taskArn()))
          .singleElement()
          .satisfies(c -> assertThat(c.state()).isEqualTo(ContainerState.RUNNING));
    }

    Service deleted =
        ecs.deleteService(r -> r.cluster(cluster).service("steady").force(true)).service();
    assertThat(deleted.status()).isEqualTo("DRAINING");
    ecs.waiter().waitUntilServicesInactive(r -> r.cluster(cluster).services("steady"), QUICK);

    assertThat(liveTasks("steady")).isEmpty();
    for (Task task : tasks) {
      assertThat(runningContainers(task.taskArn()))
          .allSatisfy(c -> assertThat(c.state()).isNotEqualTo(ContainerState.RUNNING));
    }
    assertThat(ecs.listServices(r -> r.cluster(cluster)).serviceArns())
        .doesNotContain(created.serviceArn());
  }

  @Test
  void aRollingUpdateNeverGoesBelowTheMinimumNorAboveTheMaximum() throws Exception {
    ecs.createService(
        r ->
            r.cluster(cluster)
                .serviceName("rolling")
                .taskDefinition(idle)
                .desiredCount(2)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(50).maximumPercent(150)));
    awaitStable("rolling");
    String v2 = berth.register("idle", berth.container("main").command(Shell.idle()));

    // Watch from outside while the update rolls: at most 3 tasks (150% of 2) not STOPPED, at
    // least 1 (50% of 2) RUNNING and not asked to stop.
    AtomicInteger most = new AtomicInteger();
    AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (watching.get()) {
                    List<Task> live = liveTasks("rolling");
                    long healthy =
                        live.stream()
                            .filter(
                                t ->
                                    "RUNNING".equals(t.lastStatus())
                                        && "RUNNING".equals(t.desiredStatus()))
                            .count();
                    most.accumulateAndGet(live.size(), Math::max);
                    fewest.accumulateAndGet((int) healthy, Math::min);
                  }
                });
    ecs.updateService(r -> r.cluster(cluster).service("rolling").taskDefinition(v2));
    await("the update rolled out")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Service service = describe("rolling");
              return service.deployments().size() == 1
                  && "COMPLETED".equals(service.deployments().get(0).rolloutStateAsString())
                  && service.runningCount() == 2;
            });
    watching.set(false);
    watcher.join();

    assertThat(most.get()).isBetween(2, 3);
    assertThat(fewest.get()).isGreaterThanOrEqualTo(1);
    assertThat(liveTasks("rolling"))
        .hasSize(2)
        .allSatisfy(task -> assertThat(task.taskDefinitionArn()).isEqualTo(v2));
    ecs.deleteService(r -> r.cluster(cluster).service("rolling").force(true));
  }

  @Test
  void aContainerKilledFromOutsideIsReplaced() {
    ecs.createService(
        r -> r.cluster(cluster).serviceName("killed").taskDefinition(idle).desiredCount(1));
    awaitStable("killed");
    Task victim = liveTasks("killed").get(0);
    String container = runningContainers(victim.taskArn()).get(0).id();

    DockerTestAccess.client(berth.docker()).killContainerCmd(container).exec();

    Task stopped = berth.awaitStatus(victim.taskArn(), "STOPPED");
    assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
    awaitStable("killed");
    List<Task> now = liveTasks("killed");
    assertThat(now)
        .singleElement()
        .satisfies(t -> assertThat(t.taskArn()).isNotEqualTo(victim.taskArn()));
    assertThat(runningContainers(now.get(0).taskArn()))
        .singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(ContainerState.RUNNING));
    await("a steady state again")
        .atMost(PATIENCE)
        .until(
            () -> messages(describe("killed")),
            events -> events.get(0).equals("(service killed) has reached a steady state."));
    // The replacement's start is told (the first deployment's completion may come in between).
    String replacementId =
        now.get(0).taskArn().substring(now.get(0).taskArn().lastIndexOf('/') + 1);
    assertThat(messages(describe("killed")))
        .contains("(service killed) has started 1 tasks: (task " + replacementId + ").");
    ecs.deleteService(r -> r.cluster(cluster).service("killed").force(true));
  }

  @Test
  void aBrokenRevisionTripsTheCircuitBreakerAndIsRolledBack() {
    ecs.createService(
        r ->
            r.cluster(cluster)
                .serviceName("breaker")
                .taskDefinition(idle)
                .desiredCount(1)
                .deploymentConfiguration(
                    d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
    awaitSteady("breaker");
    String good = describe("breaker").taskDefinition();
    // The broken revision's container cannot start at all. One that starts and exits at once (say
    // `exit 3`) is RUNNING for a moment: when a scheduler pass falls in that moment (as it does
    // when the machine is loaded) the service is steady, the deployment COMPLETED, and a completed
    // deployment is no longer watched by the breaker, as in ECS; the test would then wait forever.
    String broken =
        berth.register("broken", berth.container("main").command("/berth/no-such-program"));

    ecs.updateService(r -> r.cluster(cluster).service("breaker").taskDefinition(broken));
    String failedId = describe("breaker").deployments().get(0).id();

    await("rolled back")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> describe("breaker"),
            service ->
                service.taskDefinition().equals(good)
                    && service.deployments().size() == 1
                    && "COMPLETED".equals(service.deployments().get(0).rolloutStateAsString()));
    awaitStable("breaker");

    Service service = describe("breaker");
    assertThat(messages(service))
        .contains(
            "(service breaker) (deployment "
                + failedId
                + ") deployment failed: tasks failed to start.");
    assertThat(service.deployments().get(0).rolloutStateReason()).startsWith("ECS deployment ");
    List<ServiceDeploymentBrief> history =
        ecs.listServiceDeployments(r -> r.cluster(cluster).service("breaker")).serviceDeployments();
    assertThat(history)
        .extracting(ServiceDeploymentBrief::statusAsString)
        .contains("ROLLBACK_SUCCESSFUL");
    assertThat(liveTasks("breaker"))
        .singleElement()
        .satisfies(task -> assertThat(task.taskDefinitionArn()).isEqualTo(good));
    ecs.deleteService(r -> r.cluster(cluster).service("breaker").force(true));
  }

  @Test
  void aDaemonFollowsInstancesJoiningAndDraining() {
    String daemon = berth.register("daemon", berth.container("main").command(Shell.idle()));
    ecs.createService(
        r ->
            r.cluster(cluster)
                .serviceName("daemon")
                .taskDefinition(daemon)
                .schedulingStrategy("DAEMON"));
    awaitStable("daemon");
    String first = berth.agent().containerInstanceArn();
    assertThat(liveTasks("daemon")).extracting(Task::containerInstanceArn).containsExactly(first);

    Agent joined = berth.startAnotherAgent();
    String second = joined.containerInstanceArn();
    await("a daemon task on the new instance")
        .atMost(PATIENCE)
        .until(
            () ->
                liveTasks("daemon").stream()
                    .anyMatch(
                        t ->
                            t.containerInstanceArn().equals(second)
                                && "RUNNING".equals(t.lastStatus())));
    awaitStable("daemon");
    assertThat(describe("daemon").desiredCount()).isEqualTo(2);

    ecs.updateContainerInstancesState(
        r ->
            r.cluster(cluster).containerInstances(second).status(ContainerInstanceStatus.DRAINING));
    await("the daemon left the draining instance")
        .atMost(PATIENCE)
        .until(
            () -> liveTasks("daemon").stream().map(Task::containerInstanceArn).toList(),
            arns -> arns.equals(List.of(first)));
    awaitStable("daemon");
    assertThat(describe("daemon").desiredCount()).isEqualTo(1);
    ecs.deleteService(r -> r.cluster(cluster).service("daemon"));
    ecs.waiter().waitUntilServicesInactive(r -> r.cluster(cluster).services("daemon"), QUICK);
  }
}
