package dev.berth.server.controller;

import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskContainer;
import dev.berth.server.ecs.state.TaskLifecycle;

/** What the service scheduler reads off one task of a service, whatever the pass. */
final class ServiceTasks {
  private ServiceTasks() {}

  /** Returns true if the task runs and is meant to: RUNNING, desired RUNNING. */
  static boolean running(Task task) {
    return TaskLifecycle.RUNNING.equals(task.lastStatus())
        && TaskLifecycle.RUNNING.equals(task.desiredStatus());
  }

  /** Returns true if the task has not stopped and nobody asked it to. */
  static boolean live(Task task) {
    return !task.lifecycle().hasStopped() && TaskLifecycle.RUNNING.equals(task.desiredStatus());
  }

  /**
   * Returns true if a task's containers count as healthy: not UNHEALTHY, and HEALTHY if an
   * essential container has a health check.
   */
  static boolean containersHealthy(Task task) {
    String health = task.lifecycle().healthStatus();
    if ("UNHEALTHY".equals(health)) {
      return false;
    }
    boolean checked = false;
    for (TaskContainer container : task.containers()) {
      checked |= container.essential() && container.healthChecked();
    }
    return !checked || "HEALTHY".equals(health);
  }

  /** Returns true if a stopped task counts as a failure of its deployment. */
  static boolean failed(Task task) {
    if (!task.lifecycle().hasStopped()) {
      return false;
    }
    String code = task.lifecycle().stopCode();
    return "TaskFailedToStart".equals(code)
        || "EssentialContainerExited".equals(code)
        || (ServiceController.STOP_CODE.equals(code)
            && failedHealthChecks(task.lifecycle().stoppedReason()));
  }

  private static boolean failedHealthChecks(String reason) {
    return reason != null
        && (reason.equals(ServiceController.HEALTH_REASON)
            || reason.startsWith(ServiceController.ELB_HEALTH_REASON));
  }
}
