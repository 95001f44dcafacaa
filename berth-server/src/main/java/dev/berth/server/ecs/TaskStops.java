package dev.berth.server.ecs;

import dev.berth.server.controller.ServiceAttachments;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;

/**
 * How the server asks a task to stop, which depends on who will stop it and what it is attached to:
 * a task its agent will never stop is STOPPED by the server at once; a RUNNING task of a service
 * with load balancers turns DEACTIVATING and is drained first; any other is asked to stop. Called
 * on the cluster's writer.
 */
final class TaskStops {
  private static final String SERVICE_GROUP = "service:";

  private TaskStops() {}

  /** Returns the task asked to stop with the code and reason given, by whoever will stop it. */
  static Task stop(ClusterState holder, Task task, String code, String reason, long now) {
    if (!agentWillStop(holder, task)) {
      return TaskTransitions.stoppedByServer(task, code, reason, now);
    }
    return drainsFirst(holder, task)
        ? TaskTransitions.deactivating(task, code, reason, now)
        : TaskTransitions.stopRequested(task, code, reason, now);
  }

  /**
   * Returns a DEACTIVATING task that has drained: STOPPING for its agent to stop, or STOPPED by the
   * server if its agent is gone.
   */
  static Task drained(ClusterState holder, Task task, long now) {
    if (!agentWillStop(holder, task)) {
      return TaskTransitions.stoppedByServer(
          task, task.lifecycle().stopCode(), task.lifecycle().stoppedReason(), now);
    }
    return TaskTransitions.deactivated(task);
  }

  /**
   * Returns true if the task's agent is there to stop it: its instance is registered, the agent
   * connected, and the task picked up.
   */
  static boolean agentWillStop(ClusterState holder, Task task) {
    ContainerInstance instance = holder.instances().get(task.containerInstanceArn());
    return instance != null
        && instance.registered()
        && holder.instances().agentConnected(instance.arn())
        && !TaskLifecycle.PROVISIONING.equals(task.lastStatus());
  }

  /** Returns true if the task is a RUNNING task of a service whose tasks drain before stopping. */
  static boolean drainsFirst(ClusterState holder, Task task) {
    String group = task.spec().group();
    if (!TaskLifecycle.RUNNING.equals(task.lastStatus()) || !group.startsWith(SERVICE_GROUP)) {
      return false;
    }
    Service service = holder.services().get(group.substring(SERVICE_GROUP.length()));
    return service != null && ServiceAttachments.drainsBeforeStop(service);
  }
}
