package dev.berth.server.ecs;

import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.scheduler.PlacementIndex;
import dev.berth.server.scheduler.ResourceFit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one placement index of each cluster, which RunTask and the service scheduler both place
 * through, and the checks that refuse a task on an instance named outright (StartTask, a DAEMON
 * service's task). An index is used only on its cluster's writer, so it sees the cluster's working
 * state, and it is kept between calls so that a sync costs what changed.
 */
final class ClusterPlacement {
  private final Map<ClusterState, PlacementIndex> indexes = new ConcurrentHashMap<>();

  /** Returns the cluster's placement index brought up to date; call on the cluster's writer. */
  PlacementIndex index(ClusterState holder) {
    PlacementIndex index = indexes.computeIfAbsent(holder, key -> new PlacementIndex());
    index.sync(holder);
    return index;
  }

  /**
   * Returns why a task with the demand given cannot start on the instance now (ECS's failure
   * reason: MISSING, the instance's status, AGENT or the resource it lacks), or null if it can;
   * {@code placedHere} holds what this call has already placed on each instance.
   */
  static String refusal(
      ClusterState holder,
      ContainerInstance instance,
      Resources demand,
      Map<String, Resources> placedHere) {
    if (instance == null) {
      return "MISSING";
    }
    if (!ContainerInstance.ACTIVE.equals(instance.status())) {
      // INACTIVE once deregistered, DRAINING while draining.
      return instance.status();
    }
    if (!holder.instances().agentConnected(instance.arn())) {
      return ResourceFit.AGENT;
    }
    Resources reserved =
        holder
            .tasks()
            .reservedOn(instance.arn())
            .plus(placedHere.getOrDefault(instance.arn(), Resources.NONE));
    return ResourceFit.shortfall(demand, instance.registeredResources(), reserved);
  }
}
