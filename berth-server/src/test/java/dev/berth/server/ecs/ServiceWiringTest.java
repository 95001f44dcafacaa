package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.AwsException;
import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.controller.ServiceWiring;
import dev.berth.server.discovery.ServiceRegistry;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.elb.TargetGroups;
import dev.berth.server.proxy.TargetHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The service scheduler with {@link ServiceWiring} between it and small fakes of the target groups
 * and Cloud Map: which targets and instances a service's tasks get, and what happens when the
 * service's load balancers change or a target group goes away under it.
 */
class ServiceWiringTest {
  private static final String GROUP_A =
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/a/1";
  private static final String GROUP_B =
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/b/2";

  private final FakeTargetGroups groups = new FakeTargetGroups();
  private final Forwarding forwarding = new Forwarding();
  private final EcsHarness berth = new EcsHarness(Runnable::run, Duration.ofHours(1), forwarding);
  private final String instance;

  ServiceWiringTest() {
    forwarding.target =
        new ServiceWiring(berth.state, groups, new NoRegistry(), (region, id) -> "127.0.0.1");
    instance = berth.connectedInstance(1024, 1024);
    berth.taskDefinition("web", 128, 128, 0);
  }

  /** Target groups that exist while the test says so, with the health the test sets. */
  static final class FakeTargetGroups implements TargetGroups {
    final Set<String> existing =
        new java.util.concurrent.CopyOnWriteArraySet<>(Set.of(GROUP_A, GROUP_B));
    final Map<String, Set<Integer>> registered = new ConcurrentHashMap<>();
    final List<Integer> deregistered = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String state = TargetHealth.HEALTHY;

    @Override
    public Summary describe(String targetGroupArn) {
      return existing.contains(targetGroupArn) ? new Summary("instance", true) : null;
    }

    @Override
    public CompletableFuture<Void> register(String targetGroupArn, String targetId, int port) {
      registered.computeIfAbsent(targetGroupArn, key -> ConcurrentHashMap.newKeySet()).add(port);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> deregister(String targetGroupArn, String targetId, int port) {
      if (registered.getOrDefault(targetGroupArn, ConcurrentHashMap.newKeySet()).remove(port)) {
        deregistered.add(port);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public TargetHealth health(String targetGroupArn, String targetId, int port) {
      if (!existing.contains(targetGroupArn)) {
        throw new AwsException("TargetGroupNotFound", 400, "gone");
      }
      return registered.getOrDefault(targetGroupArn, Set.of()).contains(port)
          ? new TargetHealth(state, null, null)
          : TargetHealth.notRegistered();
    }

    @Override
    public List<String> groupsWith(String region, String targetId, int port) {
      return registered.entrySet().stream()
          .filter(entry -> existing.contains(entry.getKey()) && entry.getValue().contains(port))
          .map(Map.Entry::getKey)
          .toList();
    }

    Set<Integer> ports(String group) {
      return registered.getOrDefault(group, Set.of());
    }
  }

  /** A Cloud Map with no services. */
  static final class NoRegistry implements ServiceRegistry {
    @Override
    public boolean exists(String serviceArn) {
      return false;
    }

    @Override
    public CompletableFuture<String> register(
        String serviceArn,
        String instanceId,
        String ipv4,
        Integer port,
        Map<String, String> attributes) {
      return CompletableFuture.failedFuture(new IllegalStateException("no registry"));
    }

    @Override
    public CompletableFuture<String> deregister(String serviceArn, String instanceId) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> setHealthy(
        String serviceArn, String instanceId, boolean healthy) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<Instance> instances(String region, String instanceId) {
      return List.of();
    }
  }

  /** A Cloud Map with one service, holding the instances registered in it. */
  static final class RecordingRegistry implements ServiceRegistry {
    static final String SERVICE = "arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1";
    final Map<String, Instance> instances = new ConcurrentHashMap<>();

    @Override
    public boolean exists(String serviceArn) {
      return SERVICE.equals(serviceArn);
    }

    @Override
    public CompletableFuture<String> register(
        String serviceArn,
        String instanceId,
        String ipv4,
        Integer port,
        Map<String, String> attributes) {
      Map<String, String> stored = new java.util.HashMap<>(attributes);
      stored.put("AWS_INSTANCE_IPV4", ipv4);
      if (port != null) {
        stored.put("AWS_INSTANCE_PORT", port.toString());
      }
      instances.put(instanceId, new Instance(serviceArn, stored, "UNHEALTHY"));
      return CompletableFuture.completedFuture("operation-" + instanceId);
    }

    @Override
    public CompletableFuture<String> deregister(String serviceArn, String instanceId) {
      instances.remove(instanceId);
      return CompletableFuture.completedFuture("operation-" + instanceId);
    }

    @Override
    public CompletableFuture<Void> setHealthy(
        String serviceArn, String instanceId, boolean healthy) {
      instances.computeIfPresent(
          instanceId,
          (id, held) ->
              new Instance(
                  held.serviceArn(), held.attributes(), healthy ? "HEALTHY" : "UNHEALTHY"));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<Instance> instances(String region, String instanceId) {
      Instance held = instances.get(instanceId);
      return held == null ? List.of() : List.of(held);
    }
  }

  /** Attachments handed to the harness before the wiring over its state can exist. */
  static final class Forwarding implements ServiceAttachments {
    volatile ServiceAttachments target = ServiceAttachments.NONE;

    @Override
    public void validate(
        String region,
        List<LoadBalancer> loadBalancers,
        List<dev.berth.server.ecs.shape.ServiceRegistry> serviceRegistries) {
      target.validate(region, loadBalancers, serviceRegistries);
    }

    @Override
    public boolean attached(Service service, Task task) {
      return target.attached(service, task);
    }

    @Override
    public boolean detached(Service service, Task task) {
      return target.detached(service, task);
    }

    @Override
    public CompletableFuture<Void> attach(Service service, Task task) {
      return target.attach(service, task);
    }

    @Override
    public CompletableFuture<Void> detach(Service service, Task task) {
      return target.detach(service, task);
    }

    @Override
    public boolean drained(Service service, Task task) {
      return target.drained(service, task);
    }

    @Override
    public Health health(Service service, Task task) {
      return target.health(service, task);
    }

    @Override
    public String unhealthyIn(Service service, Task task) {
      return target.unhealthyIn(service, task);
    }
  }

  private String loadBalancers(String group) {
    return """
        [{"targetGroupArn":"%s","containerName":"app","containerPort":80}]"""
        .formatted(group);
  }

  private List<Task> live() {
    return berth
        .state
        .region("us-east-1")
        .cluster("default")
        .tasks()
        .inGroup("service:web")
        .stream()
        .filter(task -> !task.lifecycle().hasStopped())
        .toList();
  }

  private int port = 32768;

  /** Plays the agent: new tasks run with a host port each, tasks to stop stop. */
  private void agentStep() {
    for (Task task : live()) {
      if ("STOPPED".equals(task.desiredStatus())) {
        if (!"DEACTIVATING".equals(task.lastStatus())) {
          berth.report(task.arn(), "STOPPED");
        }
      } else if ("PROVISIONING".equals(task.lastStatus())) {
        berth.call(
            "SubmitTaskStateChange",
            """
            {"cluster":"default","task":"%s","status":"RUNNING","containers":[
              {"containerName":"app","status":"RUNNING","runtimeId":"r-%d",
               "networkBindings":[{"containerPort":80,"hostPort":%d,"protocol":"tcp"}]}]}
            """
                .formatted(task.arn(), port, port++));
      }
    }
  }

  private void settle(int rounds) {
    for (int i = 0; i < rounds; i++) {
      berth.service.reconcileServices().join();
      agentStep();
    }
    berth.service.reconcileServices().join();
  }

  private Set<Integer> hostPorts(List<Task> tasks) {
    return tasks.stream()
        .map(task -> task.containers().get(0).networkBindings().get(0).path("hostPort").asInt())
        .collect(java.util.stream.Collectors.toSet());
  }

  private String rollout() {
    return berth
        .call("DescribeServices", "{\"services\":[\"web\"]}")
        .path("services")
        .get(0)
        .path("deployments")
        .get(0)
        .path("rolloutState")
        .asText();
  }

  @Test
  void runningTasksAreRegisteredAtTheirHostPortsAndCountHealthyOnlyWhenTheGroupSaysSo() {
    groups.state = "initial";
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":2,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    settle(3);
    assertThat(groups.ports(GROUP_A)).isEqualTo(hostPorts(live())).hasSize(2);
    assertThat(rollout()).isEqualTo("IN_PROGRESS");

    groups.state = TargetHealth.HEALTHY;
    settle(1);
    assertThat(rollout()).isEqualTo("COMPLETED");
    assertThat(instance).isNotNull();
  }

  @Test
  void changingTheTargetGroupLeavesOldTasksInTheirGroupUntilTheyStop() {
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    settle(3);
    Task old = live().get(0);
    int oldPort = hostPorts(List.of(old)).iterator().next();
    assertThat(groups.ports(GROUP_A)).containsExactly(oldPort);

    berth.call(
        "UpdateService", "{\"service\":\"web\",\"loadBalancers\":" + loadBalancers(GROUP_B) + "}");
    berth.service.reconcileServices().join();

    // The old task still counts healthy in its own group, so the new one starts beside it
    // rather than in its place.
    assertThat(berth.state.region("us-east-1").cluster("default").tasks().get(old.arn()))
        .satisfies(task -> assertThat(task.desiredStatus()).isEqualTo("RUNNING"));
    assertThat(live()).hasSize(2);
    assertThat(groups.ports(GROUP_A)).containsExactly(oldPort);

    settle(4);
    assertThat(live()).extracting(Task::arn).doesNotContain(old.arn());
    assertThat(groups.ports(GROUP_A)).isEmpty();
    assertThat(groups.ports(GROUP_B)).isEqualTo(hostPorts(live())).hasSize(1);
    assertThat(rollout()).isEqualTo("COMPLETED");
  }

  @Test
  void aTargetGroupDeletedUnderTheServiceNoLongerHoldsItsTasksUnhealthy() {
    groups.state = "initial";
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    settle(3);
    assertThat(rollout()).isEqualTo("IN_PROGRESS");

    groups.existing.remove(GROUP_A);
    settle(1);

    assertThat(rollout()).isEqualTo("COMPLETED");
  }

  /** Starts a Berth again over this one's store, wired to the same target groups. */
  private EcsHarness restart() {
    Forwarding again = new Forwarding();
    EcsHarness restarted = new EcsHarness(berth.store, again);
    again.target =
        new ServiceWiring(restarted.state, groups, new NoRegistry(), (region, id) -> "127.0.0.1");
    return restarted;
  }

  @Test
  void aRestartBetweenATasksCommitAndItsRegistrationRegistersItAtStart() {
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    berth.service.reconcileServices().join();
    // The agent's RUNNING is committed; the server dies before any pass registers the task.
    agentStep();
    Task task = live().get(0);
    assertThat(task.lastStatus()).isEqualTo("RUNNING");
    assertThat(groups.ports(GROUP_A)).isEmpty();

    EcsHarness restarted = restart();
    restarted.service.reconcileServices().join();

    assertThat(groups.ports(GROUP_A)).isEqualTo(hostPorts(List.of(task))).hasSize(1);
    assertThat(
            restarted
                .call("DescribeServices", "{\"services\":[\"web\"]}")
                .path("services")
                .get(0)
                .path("events")
                .get(0)
                .path("message")
                .asText())
        .isEqualTo("(service web) registered 1 targets in (target-group " + GROUP_A + ")");
  }

  @Test
  void aRestartBetweenATasksCommitAndItsCloudMapRegistrationRegistersItAtStart() {
    RecordingRegistry registry = new RecordingRegistry();
    forwarding.target =
        new ServiceWiring(berth.state, groups, registry, (region, id) -> "127.0.0.1");
    berth.call(
        "CreateService",
        """
        {"serviceName":"web","taskDefinition":"web","desiredCount":1,"serviceRegistries":[
          {"registryArn":"%s","containerName":"app","containerPort":80}]}
        """
            .formatted(RecordingRegistry.SERVICE));
    berth.service.reconcileServices().join();
    // The agent's RUNNING is committed; the server dies before any pass registers the task.
    agentStep();
    Task task = live().get(0);
    assertThat(task.lastStatus()).isEqualTo("RUNNING");
    assertThat(registry.instances).isEmpty();

    Forwarding again = new Forwarding();
    EcsHarness restarted = new EcsHarness(berth.store, again);
    again.target =
        new ServiceWiring(restarted.state, groups, registry, (region, id) -> "127.0.0.1");
    restarted.service.reconcileServices().join();

    int hostPort = hostPorts(List.of(task)).iterator().next();
    assertThat(registry.instances)
        .hasEntrySatisfying(
            task.arn().substring(task.arn().lastIndexOf('/') + 1),
            instance -> {
              assertThat(instance.serviceArn()).isEqualTo(RecordingRegistry.SERVICE);
              assertThat(instance.customHealth()).isEqualTo("HEALTHY");
              assertThat(instance.attributes())
                  .containsEntry("AWS_INSTANCE_IPV4", "127.0.0.1")
                  .containsEntry("AWS_INSTANCE_PORT", Integer.toString(hostPort));
            });
  }

  @Test
  void aTaskThatStoppedWhileTheServerWasDownIsDeregisteredAtStart() {
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    settle(3);
    Task task = live().get(0);
    assertThat(groups.ports(GROUP_A)).isEqualTo(hostPorts(List.of(task)));
    berth.report(task.arn(), "STOPPED");

    restart().service.reconcileServices().join();

    assertThat(groups.ports(GROUP_A)).isEmpty();
  }

  @Test
  void aStoppedTasksPortTakenByANewTaskStaysRegisteredForTheNewOne() {
    berth.call(
        "CreateService",
        "{\"serviceName\":\"web\",\"taskDefinition\":\"web\",\"desiredCount\":1,\"loadBalancers\":"
            + loadBalancers(GROUP_A)
            + "}");
    settle(3);
    Task first = live().get(0);
    int reused = hostPorts(List.of(first)).iterator().next();
    berth.report(first.arn(), "STOPPED");
    berth.service.reconcileServices().join();
    assertThat(groups.ports(GROUP_A)).isEmpty();

    // Docker hands the freed host port to the replacement on the same instance.
    port = reused;
    settle(3);

    Task second = live().get(0);
    assertThat(hostPorts(List.of(second))).containsExactly(reused);
    assertThat(groups.ports(GROUP_A)).containsExactly(reused);
    // Deregistered once, for the first task; never again for the second one's sake.
    assertThat(groups.deregistered).containsExactly(reused);
  }
}
