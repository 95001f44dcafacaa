package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.discovery.ServiceRegistry;
import dev.berth.server.elb.InstanceAddresses;
import dev.berth.server.elb.TargetGroups;
import dev.berth.server.lb.TargetHealth;
import dev.berth.server.state.ClusterState;
import dev.berth.server.state.ContainerInstance;
import dev.berth.server.state.EcsState;
import dev.berth.server.state.RegionState;
import dev.berth.server.state.Service;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskContainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches services' tasks to the built-in load balancer and to Cloud Map, as ECS does for a
 * service's {@code loadBalancers} and {@code serviceRegistries}:
 *
 * <ul>
 *   <li>a RUNNING task's host port for each load balancer's container and port is registered in the
 *       target group (target id: the container instance's EC2 instance id for target type {@code
 *       instance}, its address for {@code ip}); the task counts healthy only once every target
 *       group calls it healthy, and is replaced when one calls it unhealthy;
 *   <li>a RUNNING task whose containers are healthy is registered in each registry's Cloud Map
 *       service as the instance named by the task id, with AWS_INSTANCE_IPV4 (the container
 *       instance's address), AWS_INSTANCE_PORT (the host port of the registry's container and port,
 *       if it names one) and ECS's attributes; it is marked unhealthy when its containers are not;
 *   <li>a stopping task is deregistered from both, and counts as drained once every target group
 *       has drained it.
 * </ul>
 *
 * The calls go to the ELB and Cloud Map writers and are not waited for: the controller sees their
 * effects on its next passes. Failures (a target group or Cloud Map service deleted under a
 * service) are logged, as ECS reports them in events without stopping the service.
 */
public final class ServiceWiring implements ServiceAttachments {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceWiring.class);

  private final EcsState state;
  private final TargetGroups targetGroups;
  private final ServiceRegistry registry;
  private final InstanceAddresses addresses;
  // Drains in progress, by task ARN; each removes itself when done.
  private final Map<String, CompletableFuture<Void>> drains = new ConcurrentHashMap<>();
  // What each RUNNING task was attached to, until it is told to stop.
  private final Map<String, Attachment> attached = new ConcurrentHashMap<>();

  /**
   * Creates the wiring over the ECS state (for the container instances tasks run on), the target
   * groups and Cloud Map registry given, and the addresses instances are reached at.
   */
  public ServiceWiring(
      EcsState state,
      TargetGroups targetGroups,
      ServiceRegistry registry,
      InstanceAddresses addresses) {
    this.state = requireNonNull(state);
    this.targetGroups = requireNonNull(targetGroups);
    this.registry = requireNonNull(registry);
    this.addresses = requireNonNull(addresses);
  }

  @Override
  public void validate(String region, JsonNode loadBalancers, JsonNode serviceRegistries) {
    for (JsonNode loadBalancer : iterable(loadBalancers)) {
      String targetGroup = Json.text(loadBalancer, "targetGroupArn");
      if (targetGroup == null) {
        throw invalidParameter(
            "Berth has no Classic Load Balancers: a load balancer needs a targetGroupArn.");
      }
      TargetGroups.Summary summary = targetGroups.describe(targetGroup);
      if (summary == null || !region.equals(Arn.parse(targetGroup).region())) {
        throw invalidParameter(
            "The target group with targetGroupArn " + targetGroup + " does not exist.");
      }
      if (!summary.hasLoadBalancer()) {
        throw invalidParameter(
            "The target group with targetGroupArn "
                + targetGroup
                + " does not have an associated load balancer.");
      }
    }
    for (JsonNode entry : iterable(serviceRegistries)) {
      String registryArn = Json.text(entry, "registryArn");
      if (!registry.exists(registryArn) || !region.equals(Arn.parse(registryArn).region())) {
        throw invalidParameter(
            "The service registry with registryArn " + registryArn + " does not exist.");
      }
    }
  }

  @Override
  public void taskRunning(Service service, Task task) {
    Attachment attachment = attachment(service, task, true);
    for (Target target : attachment.targets()) {
      targetGroups
          .register(target.group(), target.id(), target.port())
          .exceptionally(failure -> warn("register " + task.arn() + " in", target, failure));
    }
    if (attachment.location() == null) {
      return;
    }
    boolean healthy = ServiceController.containersHealthy(task);
    String instanceId = taskId(task);
    for (JsonNode entry : attachment.registries()) {
      String registryArn = Json.text(entry, "registryArn");
      if (!healthy) {
        // Told again when the health changes; an instance not registered yet has nothing to mark.
        registry.setHealthy(registryArn, instanceId, false).exceptionally(failure -> null);
        continue;
      }
      Integer port = registryPort(entry, task);
      registry
          .register(
              registryArn,
              instanceId,
              attachment.location().address(),
              port,
              attributes(service, task, attachment.location()))
          .thenCompose(operation -> registry.setHealthy(registryArn, instanceId, true))
          .exceptionally(
              failure -> {
                LOG.warn(
                    "cannot register task {} in {}: {}", task.arn(), registryArn, cause(failure));
                return null;
              });
    }
  }

  @Override
  public void taskStopping(Service service, Task task) {
    Attachment known = attached.remove(task.arn());
    Attachment attachment = known != null ? known : attachment(service, task, false);
    String instanceId = taskId(task);
    for (JsonNode entry : attachment.registries()) {
      String registryArn = Json.text(entry, "registryArn");
      registry
          .deregister(registryArn, instanceId)
          .exceptionally(
              failure -> {
                LOG.warn(
                    "cannot deregister task {} from {}: {}",
                    task.arn(),
                    registryArn,
                    cause(failure));
                return null;
              });
    }
    List<CompletableFuture<Void>> leaving = new ArrayList<>();
    for (Target target : attachment.targets()) {
      leaving.add(
          targetGroups
              .deregister(target.group(), target.id(), target.port())
              .exceptionally(
                  failure -> warn("deregister " + task.arn() + " from", target, failure)));
    }
    if (!leaving.isEmpty() && !task.lifecycle().hasStopped()) {
      CompletableFuture<Void> drain =
          CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new));
      drains.put(task.arn(), drain);
      drain.whenComplete((done, failure) -> drains.remove(task.arn(), drain));
    }
  }

  @Override
  public boolean drained(Service service, Task task) {
    return !drains.containsKey(task.arn());
  }

  @Override
  public Health health(Service service, Task task) {
    Attachment attachment = attachment(service, task, false);
    if (!attachment.complete()) {
      // Its port is not bound yet, or its instance unknown: not judged yet.
      return Health.INITIAL;
    }
    Health verdict = Health.HEALTHY;
    for (Target target : attachment.targets()) {
      String state = state(target);
      if ("unhealthy".equals(state)) {
        return Health.UNHEALTHY;
      }
      if (state != null && !TargetHealth.HEALTHY.equals(state)) {
        verdict = Health.INITIAL;
      }
    }
    return verdict;
  }

  @Override
  public String unhealthyIn(Service service, Task task) {
    for (Target target : attachment(service, task, false).targets()) {
      if ("unhealthy".equals(state(target))) {
        return target.group();
      }
    }
    return null;
  }

  /** Returns the target's state in its group, or null if the group is gone. */
  private String state(Target target) {
    try {
      return targetGroups.health(target.group(), target.id(), target.port()).state();
    } catch (AwsException e) {
      return null;
    }
  }

  /**
   * What a task is attached to: its targets (in target groups that exist), the registry entries it
   * goes in, and where it runs; complete once every load balancer's port is bound.
   */
  private record Attachment(
      List<Target> targets, List<JsonNode> registries, Location location, boolean complete) {}

  private static final Attachment NOTHING = new Attachment(List.of(), List.of(), null, true);

  /**
   * Returns what a task is attached to: what it was first attached to in this process (so that an
   * UpdateService changing the load balancers or registries leaves the older tasks where they are),
   * else what the service's settings say now, remembered if asked and complete.
   */
  private Attachment attachment(Service service, Task task, boolean remember) {
    Attachment known = attached.get(task.arn());
    if (known != null) {
      return known;
    }
    JsonNode loadBalancers = service.settings().loadBalancers();
    JsonNode registries = service.settings().serviceRegistries();
    if (!iterable(loadBalancers).iterator().hasNext()
        && !iterable(registries).iterator().hasNext()) {
      return NOTHING;
    }
    Location location = locate(task);
    boolean complete = location != null;
    List<Target> targets = new ArrayList<>();
    for (JsonNode loadBalancer : iterable(loadBalancers)) {
      String group = Json.text(loadBalancer, "targetGroupArn");
      TargetGroups.Summary summary = group == null ? null : targetGroups.describe(group);
      if (summary == null) {
        // The target group is gone: nothing to register in, nothing to say about health.
        continue;
      }
      Integer port =
          hostPort(
              task,
              Json.text(loadBalancer, "containerName"),
              loadBalancer.path("containerPort").asInt());
      if (port == null || location == null) {
        complete = false;
        continue;
      }
      String id = "ip".equals(summary.targetType()) ? location.address() : location.ec2InstanceId();
      targets.add(new Target(group, id, port));
    }
    List<JsonNode> entries = new ArrayList<>();
    iterable(registries).forEach(entries::add);
    Attachment attachment = new Attachment(List.copyOf(targets), entries, location, complete);
    if (remember && complete) {
      attached.put(task.arn(), attachment);
    }
    return attachment;
  }

  /** Where a task runs: its instance's EC2 instance id, address and availability zone. */
  private record Location(String ec2InstanceId, String address, String zone) {}

  /** A target in a target group. */
  private record Target(String group, String id, int port) {}

  private Location locate(Task task) {
    String instanceArn = task.containerInstanceArn();
    Arn arn = instanceArn == null ? null : Arn.parse(instanceArn);
    RegionState region = arn == null ? null : state.existingRegion(arn.region());
    ClusterState cluster =
        region == null
            ? null
            : region.existingCluster(ContainerInstance.clusterNameOf(instanceArn));
    ContainerInstance instance = cluster == null ? null : cluster.instances().get(instanceArn);
    if (instance == null) {
      return null;
    }
    String address = addresses.addressOf(arn.region(), instance.ec2InstanceId());
    return new Location(
        instance.ec2InstanceId(),
        address == null ? "127.0.0.1" : address,
        instance.attribute("ecs.availability-zone"));
  }

  /** Returns the port of a registry entry: the host port of its container and port, if named. */
  private static Integer registryPort(JsonNode entry, Task task) {
    String container = Json.text(entry, "containerName");
    if (container != null && entry.has("containerPort")) {
      return hostPort(task, container, entry.get("containerPort").asInt());
    }
    return entry.has("port") ? Integer.valueOf(entry.get("port").asInt()) : null;
  }

  /** Returns the host port a container's TCP port is bound to, or null if it is not bound. */
  static Integer hostPort(Task task, String containerName, int containerPort) {
    for (TaskContainer container : task.containers()) {
      if (!container.name().equals(containerName)) {
        continue;
      }
      for (JsonNode binding : container.networkBindings()) {
        if (binding.path("containerPort").asInt() == containerPort
            && !"udp".equals(binding.path("protocol").asText("tcp"))
            && binding.has("hostPort")) {
          return binding.get("hostPort").asInt();
        }
      }
    }
    return null;
  }

  /** Returns the attributes ECS gives the Cloud Map instances of its tasks. */
  private static Map<String, String> attributes(Service service, Task task, Location location) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Arn taskArn = Arn.parse(task.arn());
    attributes.put(
        "ECS_CLUSTER_NAME", ContainerInstance.clusterNameOf(task.containerInstanceArn()));
    attributes.put("ECS_SERVICE_NAME", service.name());
    String revision = Arn.parse(task.spec().taskDefinitionArn()).resourceId();
    attributes.put("ECS_TASK_DEFINITION_FAMILY", revision.substring(0, revision.lastIndexOf(':')));
    if (location.zone() != null) {
      attributes.put("AVAILABILITY_ZONE", location.zone());
    }
    attributes.put("REGION", taskArn.region());
    return attributes;
  }

  private static String taskId(Task task) {
    return task.arn().substring(task.arn().lastIndexOf('/') + 1);
  }

  private static Iterable<JsonNode> iterable(JsonNode list) {
    return list == null || !list.isArray() ? List.of() : list;
  }

  private static Void warn(String what, Target target, Throwable failure) {
    LOG.warn(
        "cannot {} target group {} ({}:{}): {}",
        what,
        target.group(),
        target.id(),
        target.port(),
        cause(failure));
    return null;
  }

  private static String cause(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  private static AwsException invalidParameter(String message) {
    return new AwsException("InvalidParameterException", 400, message);
  }
}
