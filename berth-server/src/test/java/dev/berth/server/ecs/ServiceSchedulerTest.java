package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.agent.TaskSetEntry;
import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The service scheduler as scenarios over an in-memory Berth with a clock the test moves: the test
 * plays the agent (tasks start, crash, stop when asked) and runs the scheduler's passes by hand.
 */
class ServiceSchedulerTest {
  private final FakeAttachments attachments = new FakeAttachments();
  private final EcsHarness berth = new EcsHarness(Runnable::run, Duration.ofHours(1), attachments);

  /**
   * Attachments that hold the tasks attached to them (the ones ever attached in {@code running},
   * those detached in {@code stopping}), answer the health the test sets, hold the drain of the
   * tasks the test names, and refuse the target group the test names.
   */
  static final class FakeAttachments implements ServiceAttachments {
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final Set<String> stopping = ConcurrentHashMap.newKeySet();
    final Set<String> attached = ConcurrentHashMap.newKeySet();
    final Map<String, Health> health = new ConcurrentHashMap<>();
    final Set<String> draining = ConcurrentHashMap.newKeySet();
    volatile String refusedTargetGroup;

    @Override
    public void validate(
        String region,
        List<LoadBalancer> loadBalancers,
        List<dev.berth.server.ecs.shape.ServiceRegistry> serviceRegistries) {
      for (LoadBalancer loadBalancer : loadBalancers) {
        if (String.valueOf(loadBalancer.targetGroupArn()).equals(refusedTargetGroup)) {
          throw new AwsException("InvalidParameterException", 400, "no load balancer");
        }
      }
    }

    @Override
    public boolean drained(Service service, Task task) {
      return !draining.contains(task.arn());
    }

    @Override
    public boolean attached(Service service, Task task) {
      return attached.contains(task.arn());
    }

    @Override
    public boolean detached(Service service, Task task) {
      return !attached.contains(task.arn());
    }

    @Override
    public CompletableFuture<Void> attach(Service service, Task task) {
      running.add(task.arn());
      attached.add(task.arn());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> detach(Service service, Task task) {
      stopping.add(task.arn());
      attached.remove(task.arn());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Health health(Service service, Task task) {
      return health.getOrDefault(task.arn(), Health.HEALTHY);
    }

    @Override
    public String unhealthyIn(Service service, Task task) {
      return health.get(task.arn()) == Health.UNHEALTHY ? TARGET_GROUP : null;
    }
  }

  private JsonNode create(String json) {
    return berth.call("CreateService", json).path("service");
  }

  private JsonNode describe(String name) {
    return berth
        .call("DescribeServices", "{\"services\":[\"" + name + "\"]}")
        .path("services")
        .get(0);
  }

  private List<Task> tasks(String name) {
    return berth.state.region("us-east-1").cluster("default").tasks().inGroup("service:" + name);
  }

  private List<Task> live(String name) {
    return tasks(name).stream().filter(task -> !task.lifecycle().hasStopped()).toList();
  }

  private void reconcile() {
    berth.service.reconcileServices().join();
  }

  /** Plays a healthy agent: new tasks run, tasks asked to stop (and not DEACTIVATING) stop. */
  private void agentStep(String name) {
    agentStep(name, Set.of());
  }

  /** Plays an agent on which the task definitions named crash at once. */
  private void agentStep(String name, Set<String> crashing) {
    for (Task task : tasks(name)) {
      if (task.lifecycle().hasStopped()) {
        continue;
      }
      if (TaskLifecycle.STOPPED.equals(task.desiredStatus())) {
        // As the agent does, a task still DEACTIVATING is left running.
        if (!TaskLifecycle.DEACTIVATING.equals(task.lastStatus())) {
          berth.report(task.arn(), "STOPPED");
        }
      } else if (crashing.contains(task.spec().taskDefinitionArn())) {
        berth.report(task.arn(), "STOPPED");
      } else if (TaskLifecycle.PROVISIONING.equals(task.lastStatus())) {
        berth.report(task.arn(), "RUNNING");
      }
    }
  }

  /** Runs scheduler passes and agent steps until nothing changes or the rounds run out. */
  private void settle(String name, int rounds) {
    for (int i = 0; i < rounds; i++) {
      reconcile();
      agentStep(name);
    }
    reconcile();
  }

  private String td(String family) {
    return berth
        .call("DescribeTaskDefinition", "{\"taskDefinition\":\"" + family + "\"}")
        .path("taskDefinition")
        .path("taskDefinitionArn")
        .asText();
  }

  private List<String> messages(JsonNode service) {
    List<String> messages = new ArrayList<>();
    service.path("events").forEach(event -> messages.add(event.path("message").asText()));
    return messages;
  }

  @Test
  void aServiceStartsItsTasksAndReachesASteadyState() {
    berth.connectedInstance(1024, 1024);
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    JsonNode created =
        create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":3}");
    assertThat(created.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(created.path("deploymentConfiguration").path("minimumHealthyPercent").asInt())
        .isEqualTo(100);
    assertThat(created.path("deploymentConfiguration").path("maximumPercent").asInt())
        .isEqualTo(200);
    String deploymentId = created.path("deployments").get(0).path("id").asText();
    assertThat(deploymentId).matches("ecs-svc/\\d{19}");

    reconcile();

    assertThat(live("web")).hasSize(3);
    assertThat(live("web"))
        .allSatisfy(
            task -> {
              assertThat(task.spec().group()).isEqualTo("service:web");
              assertThat(task.spec().startedBy()).isEqualTo(deploymentId);
            });
    assertThat(messages(describe("web")).get(0)).startsWith("(service web) has started 3 tasks:");
    assertThat(describe("web").path("pendingCount").asInt()).isEqualTo(3);

    agentStep("web");
    reconcile();

    JsonNode steady = describe("web");
    assertThat(steady.path("runningCount").asInt()).isEqualTo(3);
    assertThat(steady.path("deployments")).hasSize(1);
    assertThat(steady.path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("COMPLETED");
    assertThat(messages(steady))
        .startsWith(
            "(service web) has reached a steady state.",
            "(service web) (deployment " + deploymentId + ") deployment completed.");
    assertThat(attachments.running).hasSize(3);
    assertThat(berth.call("ListTasks", "{\"serviceName\":\"web\"}").path("taskArns")).hasSize(3);

    reconcile();
    assertThat(messages(describe("web"))).hasSize(3);
  }

  @Test
  void aTaskThatStopsIsReplaced() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2}");
    settle("web", 3);
    Task victim = live("web").get(0);

    berth.report(victim.arn(), "STOPPED");
    reconcile();

    assertThat(live("web")).hasSize(2).extracting(Task::arn).doesNotContain(victim.arn());
    settle("web", 2);
    assertThat(describe("web").path("runningCount").asInt()).isEqualTo(2);
    assertThat(messages(describe("web")).get(0))
        .isEqualTo("(service web) has reached a steady state.");
  }

  @Test
  void aRollingUpdateStaysWithinTheMinimumHealthyAndMaximumPercent() {
    berth.connectedInstance(4096, 4096);
    berth.connectedInstance(4096, 4096);
    berth.taskDefinition("web", 128, 128, null);
    create(
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":4,
         "deploymentConfiguration":{"minimumHealthyPercent":50,"maximumPercent":150}}
        """);
    settle("web", 3);
    berth.taskDefinition("web", 128, 128, null);
    String v2 = td("web");

    JsonNode updated =
        berth.call("UpdateService", "{\"service\":\"web\",\"taskDefinition\":\"web:2\"}");
    assertThat(updated.path("service").path("deployments")).hasSize(2);

    for (int round = 0; round < 12; round++) {
      reconcile();
      // Within limits after the scheduler acted: at most 150% of 4 tasks not STOPPED, and at
      // least 50% running and not asked to stop.
      assertThat(live("web")).hasSizeLessThanOrEqualTo(6);
      assertThat(runningWanted("web")).isGreaterThanOrEqualTo(2);
      agentStep("web");
    }
    reconcile();
    JsonNode done = describe("web");
    assertThat(done.path("deployments")).hasSize(1);
    assertThat(done.path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("COMPLETED");
    assertThat(live("web")).hasSize(4).allMatch(task -> task.spec().taskDefinitionArn().equals(v2));
  }

  private long runningWanted(String name) {
    return tasks(name).stream()
        .filter(
            task ->
                TaskLifecycle.RUNNING.equals(task.lastStatus())
                    && TaskLifecycle.RUNNING.equals(task.desiredStatus()))
        .count();
  }

  @Test
  void aNewDeploymentSupersedesOneInFlight() {
    berth.connectedInstance(4096, 4096);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2}");
    settle("web", 3);
    berth.taskDefinition("web", 128, 128, null);
    berth.taskDefinition("web", 128, 128, null);
    berth.call("UpdateService", "{\"service\":\"web\",\"taskDefinition\":\"web:2\"}");
    reconcile();
    String second = describe("web").path("deployments").get(0).path("id").asText();

    berth.call("UpdateService", "{\"service\":\"web\",\"taskDefinition\":\"web:3\"}");
    JsonNode deployments = describe("web").path("deployments");
    assertThat(deployments).hasSize(3);
    assertThat(deployments.get(1).path("id").asText()).isEqualTo(second);
    assertThat(deployments.get(1).path("status").asText()).isEqualTo("ACTIVE");

    settle("web", 8);
    assertThat(describe("web").path("deployments")).hasSize(1);
    assertThat(live("web"))
        .hasSize(2)
        .allMatch(task -> task.spec().taskDefinitionArn().equals(td("web")));
    JsonNode list = berth.call("ListServiceDeployments", "{\"service\":\"web\"}");
    assertThat(list.path("serviceDeployments")).hasSize(3);
    assertThat(list.path("serviceDeployments").get(0).path("status").asText())
        .isEqualTo("SUCCESSFUL");
    assertThat(list.path("serviceDeployments").get(1).path("status").asText()).isEqualTo("STOPPED");
  }

  @Test
  void theCircuitBreakerFailsABrokenDeploymentAndRollsBack() {
    berth.connectedInstance(4096, 4096);
    berth.taskDefinition("web", 128, 128, null);
    String v1 = td("web");
    create(
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":2,
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}}
        """);
    settle("web", 3);
    String good = describe("web").path("deployments").get(0).path("id").asText();
    berth.taskDefinition("web", 128, 128, null);
    String v2 = td("web");
    berth.call("UpdateService", "{\"service\":\"web\",\"taskDefinition\":\"web:2\"}");
    JsonNode failedDeployment = describe("web").path("deployments").get(0);
    String broken = failedDeployment.path("id").asText();

    for (int round = 0; round < 6; round++) {
      reconcile();
      agentStep("web", Set.of(v2));
    }

    JsonNode service = describe("web");
    assertThat(service.path("taskDefinition").asText()).isEqualTo(v1);
    assertThat(messages(service))
        .contains(
            "(service web) (deployment " + broken + ") deployment failed: tasks failed to start.");
    settle("web", 4);
    service = describe("web");
    assertThat(service.path("deployments")).hasSize(1);
    JsonNode primary = service.path("deployments").get(0);
    assertThat(primary.path("taskDefinition").asText()).isEqualTo(v1);
    assertThat(primary.path("rolloutState").asText()).isEqualTo("COMPLETED");
    assertThat(live("web")).hasSize(2).allMatch(task -> task.spec().taskDefinitionArn().equals(v1));

    JsonNode described =
        berth
            .call(
                "DescribeServiceDeployments",
                "{\"serviceDeploymentArns\":[\""
                    + service.path("currentServiceDeployment").asText()
                    + "\"]}")
            .path("serviceDeployments")
            .get(0);
    assertThat(described.path("status").asText()).isEqualTo("SUCCESSFUL");
    JsonNode list = berth.call("ListServiceDeployments", "{\"service\":\"web\"}");
    JsonNode failed = list.path("serviceDeployments").get(1);
    assertThat(failed.path("status").asText()).isEqualTo("ROLLBACK_SUCCESSFUL");
    JsonNode failedInFull =
        berth
            .call(
                "DescribeServiceDeployments",
                "{\"serviceDeploymentArns\":[\""
                    + failed.path("serviceDeploymentArn").asText()
                    + "\"]}")
            .path("serviceDeployments")
            .get(0);
    assertThat(failedInFull.path("deploymentCircuitBreaker").path("status").asText())
        .isEqualTo("TRIGGERED");
    assertThat(failedInFull.path("deploymentCircuitBreaker").path("failureCount").asInt())
        .isGreaterThanOrEqualTo(3);
    assertThat(failedInFull.path("deploymentCircuitBreaker").path("threshold").asInt())
        .isEqualTo(3);
    assertThat(failedInFull.path("rollback").path("reason").asText())
        .isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
    assertThat(good).isNotEqualTo(broken);
  }

  @Test
  void withoutRollbackAFailedDeploymentStopsLaunching() {
    berth.connectedInstance(4096, 4096);
    berth.taskDefinition("web", 128, 128, null);
    String v1 = td("web");
    create(
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":1,
         "deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":false}}}
        """);
    for (int round = 0; round < 8; round++) {
      reconcile();
      agentStep("web", Set.of(v1));
    }
    JsonNode deployment = describe("web").path("deployments").get(0);
    assertThat(deployment.path("rolloutState").asText()).isEqualTo("FAILED");
    assertThat(deployment.path("rolloutStateReason").asText())
        .isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
    assertThat(deployment.path("failedTasks").asInt()).isEqualTo(3);
    assertThat(tasks("web")).hasSize(3);
  }

  @Test
  void anUnhealthyTaskIsReplacedOnlyAfterTheGracePeriod() {
    String instance = berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create(
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":1,
         "healthCheckGracePeriodSeconds":60}
        """);
    settle("web", 2);
    Task task = live("web").get(0);
    berth
        .service
        .agentFacing()
        .reportHealth(instance, task.arn(), Map.of("app", "UNHEALTHY"))
        .join();

    reconcile();
    assertThat(live("web")).extracting(Task::arn).containsExactly(task.arn());

    berth.clock.advance(Duration.ofSeconds(61));
    reconcile();

    Task stopped = berth.state.region("us-east-1").cluster("default").tasks().get(task.arn());
    assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
    assertThat(stopped.lifecycle().stopCode()).isEqualTo("ServiceSchedulerInitiated");
    assertThat(stopped.lifecycle().stoppedReason())
        .isEqualTo("Task failed container health checks");
    assertThat(attachments.stopping).contains(task.arn());
    assertThat(messages(describe("web")))
        .contains(
            "(service web) (task "
                + task.arn().substring(task.arn().lastIndexOf('/') + 1)
                + ") failed container health checks.");
    settle("web", 3);
    assertThat(live("web")).hasSize(1).extracting(Task::arn).doesNotContain(task.arn());
  }

  private static final String TARGET_GROUP =
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1";

  private void createBehindLoadBalancer(String name, int desired) {
    create(
        """
        {"serviceName":"%s","taskDefinition":"web","desiredCount":%d,"loadBalancers":[
          {"targetGroupArn":"%s","containerName":"app","containerPort":80}]}
        """
            .formatted(name, desired, TARGET_GROUP));
  }

  private Task task(String arn) {
    return berth.state.region("us-east-1").cluster("default").tasks().get(arn);
  }

  @Test
  void aTaskBehindALoadBalancerIsDeactivatingUntilItHasDrained() throws Exception {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
    createBehindLoadBalancer("web", 1);
    settle("web", 2);
    Task task = live("web").get(0);
    assertThat(attachments.running).containsExactly(task.arn());
    attachments.draining.add(task.arn());

    berth.call("UpdateService", "{\"service\":\"web\",\"desiredCount\":0}");
    reconcile();
    agentStep("web");
    reconcile();

    // Asked to stop, but kept running by its agent while the target group drains it.
    Task deactivating = task(task.arn());
    assertThat(deactivating.desiredStatus()).isEqualTo("STOPPED");
    assertThat(deactivating.lastStatus()).isEqualTo("DEACTIVATING");
    assertThat(attachments.stopping).containsExactly(task.arn());
    String instance = task.containerInstanceArn();
    TaskSetEntry entry = berth.service.agentFacing().taskSet(instance).get(0);
    assertThat(entry.deactivating()).isTrue();
    JsonNode sent = Json.MAPPER.readTree(entry.task().get());
    assertThat(sent.path("lastStatus").asText()).isEqualTo("DEACTIVATING");
    assertThat(sent.path("desiredStatus").asText()).isEqualTo("STOPPED");

    assertThat(messages(describe("web")))
        .contains(
            "(service web) registered 1 targets in (target-group " + TARGET_GROUP + ")",
            "(service web) deregistered 1 targets in (target-group " + TARGET_GROUP + ")");

    attachments.draining.clear();
    reconcile();
    assertThat(task(task.arn()).lastStatus()).isEqualTo("STOPPING");
    settle("web", 2);
    assertThat(task(task.arn()).lastStatus()).isEqualTo("STOPPED");
    assertThat(live("web")).isEmpty();
  }

  @Test
  void aTaskItsTargetGroupCallsUnhealthyIsReplacedAfterTheGracePeriod() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
    create(
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":1,
         "healthCheckGracePeriodSeconds":30,
         "loadBalancers":[{"targetGroupArn":"%s","containerName":"app","containerPort":80}]}
        """
            .formatted(TARGET_GROUP));
    settle("web", 2);
    Task task = live("web").get(0);
    attachments.health.put(task.arn(), ServiceAttachments.Health.UNHEALTHY);

    reconcile();
    assertThat(task(task.arn()).desiredStatus()).isEqualTo("RUNNING");

    berth.clock.advance(Duration.ofSeconds(31));
    reconcile();

    Task stopped = task(task.arn());
    assertThat(stopped.lastStatus()).isEqualTo("DEACTIVATING");
    assertThat(stopped.lifecycle().stoppedReason())
        .isEqualTo("Task failed ELB health checks in (target-group " + TARGET_GROUP + ")");
    assertThat(messages(describe("web")))
        .contains(
            "(service web) (task "
                + task.arn().substring(task.arn().lastIndexOf('/') + 1)
                + ") failed ELB health checks in (target-group "
                + TARGET_GROUP
                + ").");
    attachments.health.clear();
    settle("web", 3);
    assertThat(task(task.arn()).lastStatus()).isEqualTo("STOPPED");
    assertThat(live("web")).hasSize(1).extracting(Task::arn).doesNotContain(task.arn());
  }

  @Test
  void stopTaskDrainsAServiceTaskBehindALoadBalancerFirst() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
    createBehindLoadBalancer("web", 1);
    settle("web", 2);
    Task task = live("web").get(0);
    attachments.draining.add(task.arn());

    JsonNode stopped = berth.call("StopTask", "{\"task\":\"" + task.arn() + "\"}").path("task");

    assertThat(stopped.path("lastStatus").asText()).isEqualTo("DEACTIVATING");
    assertThat(stopped.path("stopCode").asText()).isEqualTo("UserInitiated");
    reconcile();
    assertThat(attachments.stopping).contains(task.arn());
    assertThat(task(task.arn()).lastStatus()).isEqualTo("DEACTIVATING");
    attachments.draining.clear();
    reconcile();
    assertThat(task(task.arn()).lastStatus()).isEqualTo("STOPPING");
  }

  @Test
  void aServiceWithoutLoadBalancersStopsItsTasksAtOnce() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1}");
    settle("web", 2);
    Task task = live("web").get(0);

    berth.call("UpdateService", "{\"service\":\"web\",\"desiredCount\":0}");
    reconcile();

    assertThat(task(task.arn()).lastStatus()).isEqualTo("RUNNING");
    assertThat(task(task.arn()).desiredStatus()).isEqualTo("STOPPED");
  }

  @Test
  void aTargetGroupTheAttachmentsRefuseFailsCreateServiceAndChangesNothing() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
    attachments.refusedTargetGroup = TARGET_GROUP;

    assertThatThrownBy(() -> createBehindLoadBalancer("web", 1))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    assertThat(berth.call("ListServices", "{}").path("serviceArns")).isEmpty();
  }

  @Test
  void aTargetNotYetHealthyHoldsTheDeploymentInProgress() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1}");
    reconcile();
    attachments.health.put(live("web").get(0).arn(), ServiceAttachments.Health.INITIAL);
    agentStep("web");
    reconcile();
    assertThat(describe("web").path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("IN_PROGRESS");

    attachments.health.clear();
    reconcile();
    assertThat(describe("web").path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("COMPLETED");
  }

  @Test
  void tasksOnADrainingInstanceAreReplacedElsewhere() {
    String first = berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2}");
    settle("web", 2);
    String second = berth.connectedInstance(1024, 1024);

    berth.call(
        "UpdateContainerInstancesState",
        "{\"containerInstances\":[\"" + first + "\"],\"status\":\"DRAINING\"}");
    settle("web", 4);

    assertThat(live("web")).hasSize(2).allMatch(task -> task.containerInstanceArn().equals(second));
  }

  @Test
  void aDaemonRunsOneTaskOnEveryInstanceAndFollowsThem() {
    String first = berth.connectedInstance(1024, 1024);
    String second = berth.connectedInstance(1024, 1024);
    berth.taskDefinition("agent", 64, 64, null);
    create(
        "{\"serviceName\":\"agent\",\"taskDefinition\":\"agent\",\"schedulingStrategy\":\"DAEMON\"}");
    settle("agent", 2);
    assertThat(live("agent"))
        .extracting(Task::containerInstanceArn)
        .containsExactlyInAnyOrder(first, second);
    assertThat(describe("agent").path("desiredCount").asInt()).isEqualTo(2);

    String third = berth.connectedInstance(1024, 1024);
    settle("agent", 2);
    assertThat(live("agent"))
        .extracting(Task::containerInstanceArn)
        .containsExactlyInAnyOrder(first, second, third);

    berth.call(
        "UpdateContainerInstancesState",
        "{\"containerInstances\":[\"" + second + "\"],\"status\":\"DRAINING\"}");
    settle("agent", 2);
    assertThat(live("agent"))
        .extracting(Task::containerInstanceArn)
        .containsExactlyInAnyOrder(first, third);
    assertThat(describe("agent").path("desiredCount").asInt()).isEqualTo(2);
    assertThat(describe("agent").path("deployments").get(0).path("rolloutState").asText())
        .isEqualTo("COMPLETED");
  }

  @Test
  void deleteServiceStopsItsTasksThenTheServiceIsInactive() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2}");
    settle("web", 2);
    assertThatThrownBy(() -> berth.call("DeleteService", "{\"service\":\"web\"}"))
        .isInstanceOf(AwsException.class)
        .hasMessage("The service cannot be stopped while it is scaled above 0.");

    JsonNode deleted =
        berth.call("DeleteService", "{\"service\":\"web\",\"force\":true}").path("service");
    assertThat(deleted.path("status").asText()).isEqualTo("DRAINING");
    assertThat(deleted.path("desiredCount").asInt()).isZero();
    settle("web", 2);

    assertThat(live("web")).isEmpty();
    assertThat(describe("web").path("status").asText()).isEqualTo("INACTIVE");
    assertThat(berth.call("ListServices", "{}").path("serviceArns")).isEmpty();
    assertThatThrownBy(
            () -> berth.call("UpdateService", "{\"service\":\"web\",\"desiredCount\":1}"))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("ServiceNotActiveException"));
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1}");
    assertThat(describe("web").path("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void servicesAreRefusedAsEcsRefusesThem() {
    berth.taskDefinition("web", 128, 128, 8080);
    assertThat(code("UpdateService", "{\"service\":\"nope\",\"desiredCount\":1}"))
        .isEqualTo("ServiceNotFoundException");
    assertThat(
            code(
                "CreateService",
                "{\"cluster\":\"nope\",\"serviceName\":\"a\",\"taskDefinition\":\"web\",\"desiredCount\":1}"))
        .isEqualTo("ClusterNotFoundException");
    assertThat(
            code(
                "CreateService",
                "{\"serviceName\":\"a\",\"taskDefinition\":\"web\",\"schedulingStrategy\":\"DAEMON\",\"desiredCount\":1}"))
        .isEqualTo("InvalidParameterException");
    assertThat(code("CreateService", "{\"serviceName\":\"a\",\"taskDefinition\":\"web\"}"))
        .isEqualTo("InvalidParameterException");
    assertThat(
            code(
                "CreateService",
                "{\"serviceName\":\"a\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"launchType\":\"FARGATE\"}"))
        .isEqualTo("UnsupportedFeatureException");
    assertThat(
            code(
                "CreateService",
                "{\"serviceName\":\"a b\",\"taskDefinition\":\"web\",\"desiredCount\":1}"))
        .isEqualTo("InvalidParameterException");
    assertThat(
            code(
                "CreateService",
                """
                {"serviceName":"a","taskDefinition":"web","desiredCount":1,"loadBalancers":[
                  {"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1",
                   "containerName":"app","containerPort":9090}]}
                """))
        .isEqualTo("InvalidParameterException");

    String json =
        """
        {"serviceName":"a","taskDefinition":"web","desiredCount":1,"clientToken":"t1",
         "loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1",
           "containerName":"app","containerPort":80}],
         "serviceRegistries":[{"registryArn":"arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1"}]}
        """;
    JsonNode first = create(json);
    assertThat(first.path("loadBalancers").get(0).path("containerPort").asInt()).isEqualTo(80);
    assertThat(first.path("serviceRegistries")).hasSize(1);
    assertThat(create(json).path("serviceArn")).isEqualTo(first.path("serviceArn"));
    assertThat(code("CreateService", json.replace("t1", "t2")))
        .isEqualTo("InvalidParameterException");
    String arn = first.path("serviceArn").asText();
    berth.call(
        "TagResource",
        "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"key\":\"team\",\"value\":\"web\"}]}");
    assertThat(
            berth
                .call("ListTagsForResource", "{\"resourceArn\":\"" + arn + "\"}")
                .path("tags")
                .get(0)
                .path("key")
                .asText())
        .isEqualTo("team");
    JsonNode missing = berth.call("DescribeServices", "{\"services\":[\"a\",\"nope\"]}");
    assertThat(missing.path("services")).hasSize(1);
    assertThat(missing.path("failures").get(0).path("reason").asText()).isEqualTo("MISSING");
    assertThat(code("DeleteCluster", "{\"cluster\":\"default\"}"))
        .isEqualTo("ClusterContainsServicesException");
  }

  private String code(String operation, String json) {
    try {
      berth.call(operation, json);
      return "none";
    } catch (AwsException e) {
      return e.code();
    }
  }

  @Test
  void servicesSurviveARestartAndTheSchedulerPicksUpWhereItWas() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2}");
    settle("web", 2);
    JsonNode before = describe("web");

    EcsState reloaded = new EcsState(berth.store, Runnable::run);
    reloaded.load();
    Service service = reloaded.region("us-east-1").cluster("default").services().get("web");

    assertThat(service.deployments()).hasSize(1);
    assertThat(service.primary().id())
        .isEqualTo(before.path("deployments").get(0).path("id").asText());
    assertThat(service.events()).hasSize(before.path("events").size());
    assertThat(service.steady()).isTrue();
    assertThat(reloaded.region("us-east-1").cluster("default").tasks().inGroup("service:web"))
        .hasSize(2);
  }

  @Test
  void aServiceKeepsItsHundredNewestEvents() {
    berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, null);
    create("{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1}");
    for (int i = 0; i < 60; i++) {
      settle("web", 1);
      berth.report(live("web").get(0).arn(), "STOPPED");
    }
    JsonNode events = describe("web").path("events");
    assertThat(events).hasSize(100);
    assertThat(events.get(0).path("createdAt").decimalValue())
        .isGreaterThanOrEqualTo(events.get(99).path("createdAt").decimalValue());
  }
}
