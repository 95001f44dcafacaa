package dev.berth.server.controller;

import dev.berth.server.state.Service;
import dev.berth.server.state.Task;

/**
 * What a service's tasks are attached to besides the scheduler: load balancer target groups and
 * service discovery registries. The service controller tells it when a task of the service starts
 * RUNNING and when it is about to ask one to stop, and asks it whether a task counts as healthy.
 * Called on the cluster's writer thread, so implementations must be quick and must not block:
 * record the news and act on it elsewhere. The default, {@link #NONE}, attaches nothing.
 */
public interface ServiceAttachments {
  /** What an attachment thinks of a task's health. */
  enum Health {
    /** Healthy, or nothing to say: the task counts as healthy if the rest agrees. */
    HEALTHY,
    /** Not judged yet (a target still in its initial checks): not healthy, not to be replaced. */
    INITIAL,
    /** Failing: replaced once the service's health check grace period has passed. */
    UNHEALTHY
  }

  /** Attaches nothing and has no opinion on health. */
  ServiceAttachments NONE =
      new ServiceAttachments() {
        @Override
        public void taskRunning(Service service, Task task) {}

        @Override
        public void taskStopping(Service service, Task task) {}

        @Override
        public Health health(Service service, Task task) {
          return Health.HEALTHY;
        }
      };

  /**
   * Tells that a task of the service is RUNNING (with its network bindings); told again after a
   * control-plane restart, so registering must be idempotent.
   */
  void taskRunning(Service service, Task task);

  /** Tells that the scheduler is about to ask a RUNNING task of the service to stop. */
  void taskStopping(Service service, Task task);

  /** Returns the attachment's verdict on a RUNNING task of the service. */
  Health health(Service service, Task task);
}
