package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.server.controller.TaskTargets.Entry;
import dev.berth.server.controller.TaskTargets.Location;
import dev.berth.server.controller.TaskTargets.Place;
import dev.berth.server.controller.TaskTargets.Target;
import dev.berth.server.discovery.ServiceRegistry;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.elb.InstanceAddresses;
import dev.berth.server.elb.TargetGroups;
import dev.berth.server.proxy.TargetHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 *   <li>a stopping task is deregistered from both, and counts as drained once no target group holds
 *       it any more, registered or draining.
 * </ul>
 *
 * Where a task is comes from the target groups and Cloud Map themselves, never from a memory of
 * this process: a task of the primary deployment belongs where the service's settings say; a task
 * of an older deployment stays where it is registered, so that an UpdateService changing the load
 * balancers or registries leaves the older tasks in place until they stop. Changes go to the ELB
 * and Cloud Map writers; failures (a target group or Cloud Map service deleted under a service) are
 * logged, as ECS reports them in events without stopping the service.
 */
public final class ServiceWiring implements ServiceAttachments {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceWiring.class);
  private static final String HEALTHY = "HEALTHY";
  private static final String UNHEALTHY = "UNHEALTHY";

  private final TargetGroups targetGroups;
  private final ServiceRegistry registry;
  private final TaskTargets places;

  /**
   * Creates the wiring over the ECS state (for the container instances tasks run on), the target
   * groups and Cloud Map registry given, and the addresses instances are reached at.
   */
  public ServiceWiring(
      EcsState state,
      TargetGroups targetGroups,
      ServiceRegistry registry,
      InstanceAddresses addresses) {
    this.targetGroups = requireNonNull(targetGroups);
    this.registry = requireNonNull(registry);
    this.places = new TaskTargets(state, targetGroups, registry, addresses);
  }

  @Override
  public void validate(
      String region,
      List<LoadBalancer> loadBalancers,
      List<dev.berth.server.ecs.shape.ServiceRegistry> serviceRegistries) {
    for (LoadBalancer loadBalancer : loadBalancers) {
      String targetGroup = loadBalancer.targetGroupArn();
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
    for (var entry : serviceRegistries) {
      String registryArn = entry.registryArn();
      if (!registry.exists(registryArn) || !region.equals(Arn.parse(registryArn).region())) {
        throw invalidParameter(
            "The service registry with registryArn " + registryArn + " does not exist.");
      }
    }
  }

  @Override
  public Health health(Service service, Task task) {
    Place place = places.place(service, task);
    if (!place.complete()) {
      // Its port is not bound yet, or its instance unknown: not judged yet.
      return Health.INITIAL;
    }
    Health verdict = Health.HEALTHY;
    for (Target target : place.targets()) {
      TargetHealth health = places.health(target);
      if (health != null && "unhealthy".equals(health.state())) {
        return Health.UNHEALTHY;
      }
      if (health != null && !health.isHealthy()) {
        verdict = Health.INITIAL;
      }
    }
    return verdict;
  }

  @Override
  public String unhealthyIn(Service service, Task task) {
    for (Target target : places.place(service, task).targets()) {
      TargetHealth health = places.health(target);
      if (health != null && "unhealthy".equals(health.state())) {
        return target.group();
      }
    }
    return null;
  }

  @Override
  public boolean drained(Service service, Task task) {
    return places.held(task).isEmpty();
  }

  @Override
  public boolean attached(Service service, Task task) {
    Place place = places.place(service, task);
    if (place.location() == null) {
      // Nowhere to register it yet (or any more): nothing to do.
      return true;
    }
    for (Target target : place.targets()) {
      if (!TaskTargets.registered(places.health(target))) {
        return false;
      }
    }
    boolean healthy = ServiceTasks.containersHealthy(task);
    Map<String, ServiceRegistry.Instance> instances = places.instances(task);
    for (Entry entry : place.registries()) {
      ServiceRegistry.Instance instance = instances.get(entry.serviceArn());
      if (!healthy) {
        if (instance != null && HEALTHY.equals(instance.customHealth())) {
          return false;
        }
      } else if (instance == null
          || UNHEALTHY.equals(instance.customHealth())
          || (entry.fromSettings() && !entry.matches(instance, place.location()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean detached(Service service, Task task) {
    for (Target target : places.held(task)) {
      if (TaskTargets.registered(places.health(target))) {
        return false;
      }
    }
    return places.instances(task).isEmpty();
  }

  @Override
  public CompletableFuture<Void> attach(Service service, Task task) {
    Place place = places.place(service, task);
    List<CompletableFuture<?>> changes = new ArrayList<>();
    for (Target target : place.targets()) {
      changes.add(
          targetGroups
              .register(target.group(), target.id(), target.port())
              .exceptionally(failure -> warn("register " + task.arn() + " in", target, failure)));
    }
    if (place.location() == null) {
      return allOf(changes);
    }
    boolean healthy = ServiceTasks.containersHealthy(task);
    String instanceId = TaskTargets.taskId(task);
    for (Entry entry : place.registries()) {
      String registryArn = entry.serviceArn();
      if (!healthy || !entry.fromSettings()) {
        // An instance not registered yet has nothing to mark; one of an older deployment stays
        // as it was registered and is only marked.
        changes.add(
            registry.setHealthy(registryArn, instanceId, healthy).exceptionally(failure -> null));
        continue;
      }
      changes.add(
          registry
              .register(
                  registryArn,
                  instanceId,
                  place.location().address(),
                  entry.port(),
                  attributes(service, task, place.location()))
              .thenCompose(operation -> registry.setHealthy(registryArn, instanceId, true))
              .exceptionally(
                  failure -> {
                    LOG.warn(
                        "cannot register task {} in {}: {}",
                        task.arn(),
                        registryArn,
                        cause(failure));
                    return null;
                  }));
    }
    return allOf(changes);
  }

  @Override
  public CompletableFuture<Void> detach(Service service, Task task) {
    List<CompletableFuture<?>> changes = new ArrayList<>();
    String instanceId = TaskTargets.taskId(task);
    for (String registryArn : places.instances(task).keySet()) {
      changes.add(
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
                  }));
    }
    for (Target target : places.held(task)) {
      if (TaskTargets.registered(places.health(target))) {
        // A deregistration's future ends with its drain, which the controller follows through
        // drained(): not waited for here.
        targetGroups
            .deregister(target.group(), target.id(), target.port())
            .exceptionally(failure -> warn("deregister " + task.arn() + " from", target, failure));
      }
    }
    return allOf(changes);
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

  private static CompletableFuture<Void> allOf(List<CompletableFuture<?>> changes) {
    return CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
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
