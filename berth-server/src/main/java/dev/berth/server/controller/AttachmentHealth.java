package dev.berth.server.controller;

import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;

/**
 * What a service's attachments (target groups, Cloud Map) say of its tasks, as the service
 * controller reads it when it decides: only questions, no effects. The default, {@link #NONE}, has
 * no opinion: every task is healthy and drained.
 */
public interface AttachmentHealth {
  /** What an attachment thinks of a task's health. */
  enum Health {
    /** Healthy, or nothing to say: the task counts as healthy if the rest agrees. */
    HEALTHY,
    /** Not judged yet (a target still in its initial checks): not healthy, not to be replaced. */
    INITIAL,
    /** Failing: replaced once the service's health check grace period has passed. */
    UNHEALTHY
  }

  /** Returns the attachments' verdict on a RUNNING task of the service. */
  Health health(Service service, Task task);

  /**
   * Returns the ARN of the target group that calls a RUNNING task of the service unhealthy, or null
   * if none does.
   */
  default String unhealthyIn(Service service, Task task) {
    return null;
  }

  /**
   * Returns true once no target group holds a stopping task any more, registered or draining, so
   * its containers may be stopped; true at once for a task that had nothing to drain.
   */
  boolean drained(Service service, Task task);
}
