package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.server.discovery.ServiceRegistry;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskContainer;
import dev.berth.server.elb.InstanceAddresses;
import dev.berth.server.elb.TargetGroups;
import dev.berth.server.proxy.TargetHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a service's task is and where it belongs in target groups and Cloud Map, read from the ECS
 * state (where the task runs), the target groups and Cloud Map as they are now. A task of the
 * primary deployment, or one registered nowhere yet, belongs where the service's settings say; one
 * of an older deployment stays where it is registered, so that an UpdateService changing the load
 * balancers or registries leaves older tasks in place until they stop.
 */
final class TaskTargets {
  /** Where a task runs: its instance's EC2 instance id, address and availability zone. */
  record Location(String ec2InstanceId, String address, String zone) {}

  /** A target in a target group. */
  record Target(String group, String id, int port) {}

  /**
   * A Cloud Map service a task belongs in, with the port it is registered at; from the service's
   * settings, or where a task of an older deployment is registered already.
   */
  record Entry(String serviceArn, Integer port, boolean fromSettings) {
    /** Returns true if the instance is registered at the address and port this entry says. */
    boolean matches(ServiceRegistry.Instance instance, Location location) {
      Map<String, String> attributes = instance.attributes();
      return location.address().equals(attributes.get("AWS_INSTANCE_IPV4"))
          && Objects.equals(
              port == null ? null : port.toString(), attributes.get("AWS_INSTANCE_PORT"));
    }
  }

  /**
   * Where a RUNNING task belongs: its targets, its registry entries and where it runs; complete
   * once every load balancer's port is bound and its instance known.
   */
  record Place(List<Target> targets, List<Entry> registries, Location location, boolean complete) {}

  private static final Place NOWHERE = new Place(List.of(), List.of(), null, true);

  private final EcsState state;
  private final TargetGroups targetGroups;
  private final ServiceRegistry registry;
  private final InstanceAddresses addresses;

  TaskTargets(
      EcsState state,
      TargetGroups targetGroups,
      ServiceRegistry registry,
      InstanceAddresses addresses) {
    this.state = requireNonNull(state);
    this.targetGroups = requireNonNull(targetGroups);
    this.registry = requireNonNull(registry);
    this.addresses = requireNonNull(addresses);
  }

  /** Returns where a RUNNING task of the service belongs. */
  Place place(Service service, Task task) {
    ServiceDeployment primary = service.primary();
    if (primary != null && !primary.id().equals(task.spec().startedBy())) {
      List<Target> held = held(task);
      Map<String, ServiceRegistry.Instance> instances = instances(task);
      if (!held.isEmpty() || !instances.isEmpty()) {
        List<Entry> entries = new ArrayList<>();
        instances.keySet().forEach(arn -> entries.add(new Entry(arn, null, false)));
        return new Place(held, entries, locate(task), true);
      }
    }
    return wanted(service, task);
  }

  /** Returns where the service's settings put a task now. */
  private Place wanted(Service service, Task task) {
    List<LoadBalancer> loadBalancers = service.settings().loadBalancers();
    List<dev.berth.server.ecs.shape.ServiceRegistry> registries =
        service.settings().serviceRegistries();
    if (loadBalancers.isEmpty() && registries.isEmpty()) {
      return NOWHERE;
    }
    Location location = locate(task);
    boolean complete = location != null;
    List<Target> targets = new ArrayList<>();
    for (LoadBalancer loadBalancer : loadBalancers) {
      String group = loadBalancer.targetGroupArn();
      TargetGroups.Summary summary = group == null ? null : targetGroups.describe(group);
      if (summary == null) {
        // The target group is gone: nothing to register in, nothing to say about health.
        continue;
      }
      Integer port =
          hostPort(
              task,
              loadBalancer.containerName(),
              loadBalancer.containerPort() == null ? 0 : loadBalancer.containerPort());
      if (port == null || location == null) {
        complete = false;
        continue;
      }
      String id = "ip".equals(summary.targetType()) ? location.address() : location.ec2InstanceId();
      targets.add(new Target(group, id, port));
    }
    List<Entry> entries = new ArrayList<>();
    for (var entry : registries) {
      entries.add(new Entry(entry.registryArn(), registryPort(entry, task), true));
    }
    return new Place(List.copyOf(targets), entries, location, complete);
  }

  /**
   * Returns the targets the target groups hold for a task, registered or draining: any group of its
   * region with its instance's id or address at one of its host ports. A stopped task's port may
   * have passed to another task on its instance since: those targets are that task's.
   */
  List<Target> held(Task task) {
    Location location = locate(task);
    if (location == null) {
      return List.of();
    }
    String region = Arn.parse(task.arn()).region();
    List<Target> held = new ArrayList<>();
    for (int port : hostPorts(task)) {
      if (task.lifecycle().hasStopped() && portTaken(task, port)) {
        continue;
      }
      for (String id : List.of(location.ec2InstanceId(), location.address())) {
        for (String group : targetGroups.groupsWith(region, id, port)) {
          held.add(new Target(group, id, port));
        }
      }
    }
    return held;
  }

  /** Returns the Cloud Map instances of a task, by the ARN of their service. */
  Map<String, ServiceRegistry.Instance> instances(Task task) {
    Map<String, ServiceRegistry.Instance> found = new LinkedHashMap<>();
    for (ServiceRegistry.Instance instance :
        registry.instances(Arn.parse(task.arn()).region(), taskId(task))) {
      found.put(instance.serviceArn(), instance);
    }
    return found;
  }

  /** Returns the target's health in its group, or null if the group is gone. */
  TargetHealth health(Target target) {
    try {
      return targetGroups.health(target.group(), target.id(), target.port());
    } catch (AwsException e) {
      return null;
    }
  }

  /** Returns true if a target's health says its group holds it registered (in any health). */
  static boolean registered(TargetHealth health) {
    return health != null
        && !"draining".equals(health.state())
        && !TargetHealth.notRegistered().reason().equals(health.reason());
  }

  /** Returns true if another task not stopped on the task's instance binds the host port. */
  private boolean portTaken(Task task, int port) {
    ClusterState cluster = clusterOf(task.containerInstanceArn());
    if (cluster == null) {
      return false;
    }
    for (Task other : cluster.tasks().activeOn(task.containerInstanceArn())) {
      if (!other.arn().equals(task.arn())
          && !other.lifecycle().hasStopped()
          && hostPorts(other).contains(port)) {
        return true;
      }
    }
    return false;
  }

  /** Returns where a task runs, or null if its instance is not known (any more). */
  Location locate(Task task) {
    String instanceArn = task.containerInstanceArn();
    ClusterState cluster = clusterOf(instanceArn);
    ContainerInstance instance = cluster == null ? null : cluster.instances().get(instanceArn);
    if (instance == null) {
      return null;
    }
    String address = addresses.addressOf(Arn.parse(instanceArn).region(), instance.ec2InstanceId());
    return new Location(
        instance.ec2InstanceId(),
        address == null ? "127.0.0.1" : address,
        instance.attribute("ecs.availability-zone"));
  }

  private ClusterState clusterOf(String instanceArn) {
    Arn arn = instanceArn == null ? null : Arn.parse(instanceArn);
    RegionState region = arn == null ? null : state.existingRegion(arn.region());
    return region == null
        ? null
        : region.existingCluster(ContainerInstance.clusterNameOf(instanceArn));
  }

  /** Returns the port of a registry entry: the host port of its container and port, if named. */
  private static Integer registryPort(dev.berth.server.ecs.shape.ServiceRegistry entry, Task task) {
    String container = entry.containerName();
    if (container != null && entry.containerPort() != null) {
      return hostPort(task, container, entry.containerPort());
    }
    return entry.port();
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

  /** Returns the host ports a task's containers bind for TCP. */
  private static List<Integer> hostPorts(Task task) {
    List<Integer> ports = new ArrayList<>();
    for (TaskContainer container : task.containers()) {
      for (JsonNode binding : container.networkBindings()) {
        if (!"udp".equals(binding.path("protocol").asText("tcp")) && binding.has("hostPort")) {
          ports.add(binding.get("hostPort").asInt());
        }
      }
    }
    return ports;
  }

  /** Returns the Cloud Map instance id of a task: its id, as in ECS. */
  static String taskId(Task task) {
    return task.arn().substring(task.arn().lastIndexOf('/') + 1);
  }
}
