package dev.berth.server.ecs;

import dev.berth.server.controller.ServiceController;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.scheduler.PlacementConstraint;
import dev.berth.server.scheduler.query.ContainerInstanceView;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster around a service as the service controller asks about it, read from the cluster's
 * state on its writer: which instances drain, where a DAEMON service's tasks belong, and whether a
 * daemon task can start on an instance now.
 */
final class ServiceFleet implements ServiceController.Fleet {
  private final ClusterState holder;
  private final RegionState region;

  ServiceFleet(ClusterState holder, RegionState region) {
    this.holder = holder;
    this.region = region;
  }

  @Override
  public boolean draining(String instanceArn) {
    ContainerInstance instance = holder.instances().get(instanceArn);
    return instance != null && ContainerInstance.DRAINING.equals(instance.status());
  }

  @Override
  public List<String> daemonInstances(Service service) {
    return daemonInstances(holder, region, service);
  }

  @Override
  public boolean onlyDaemonTasksLeft(String instanceArn) {
    for (Task task : holder.tasks().activeOn(instanceArn)) {
      String group = task.spec().group();
      Service owner =
          group.startsWith("service:")
              ? holder.services().get(group.substring("service:".length()))
              : null;
      if (owner == null || !owner.settings().daemon()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the instances a DAEMON service's task belongs on: the cluster's ACTIVE instances with
   * the attributes its task definition requires that meet its memberOf constraints.
   */
  static List<String> daemonInstances(ClusterState holder, RegionState region, Service service) {
    ServiceDeployment primary = service.primary();
    if (primary == null) {
      return List.of();
    }
    TaskBlueprint blueprint =
        TaskBlueprint.of(ServiceReconciler.taskDefinition(region, primary.taskDefinition()), null);
    List<PlacementConstraint> constraints =
        ServiceReconciler.constraints(blueprint.constraints(), service);
    List<Attribute> required = blueprint.requiredAttributes();
    List<String> targets = new ArrayList<>();
    for (ContainerInstance instance : holder.instances().all()) {
      if (!ContainerInstance.ACTIVE.equals(instance.status())) {
        continue;
      }
      ContainerInstanceView view = new ContainerInstanceView(holder, instance);
      boolean fits = true;
      for (Attribute attribute : required) {
        fits &=
            view.hasAttribute(attribute.name())
                && (attribute.value() == null
                    || attribute.value().equals(view.attribute(attribute.name())));
      }
      for (PlacementConstraint constraint : constraints) {
        fits &= constraint.distinctInstance() || constraint.admits(view);
      }
      if (fits) {
        targets.add(instance.arn());
      }
    }
    return targets;
  }
}
