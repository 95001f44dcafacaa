package dev.berth.server.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.state.Service;
import dev.berth.server.state.Task;

/**
 * What a service's tasks are attached to besides the scheduler: load balancer target groups and
 * service discovery registries. The service controller tells it when a task of the service runs
 * (and again when its container health changes), when a task is about to stop or has stopped, and
 * asks it whether a task counts as healthy and whether a stopping task has drained. Called on the
 * cluster's writer thread, so implementations must be quick and must not block: record the news and
 * act on it elsewhere. The default, {@link #NONE}, attaches nothing.
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
        public void validate(String region, JsonNode loadBalancers, JsonNode serviceRegistries) {}

        @Override
        public void taskRunning(Service service, Task task) {}

        @Override
        public void taskStopping(Service service, Task task) {}

        @Override
        public boolean drained(Service service, Task task) {
          return true;
        }

        @Override
        public Health health(Service service, Task task) {
          return Health.HEALTHY;
        }
      };

  /**
   * Checks the {@code loadBalancers} and {@code serviceRegistries} of a CreateService or
   * UpdateService in the region against what they name (target groups attached to a load balancer,
   * Cloud Map services that exist), throwing ECS's InvalidParameterException if they do not hold.
   */
  void validate(String region, JsonNode loadBalancers, JsonNode serviceRegistries);

  /**
   * Tells that a task of the service is RUNNING (with its network bindings); told again when its
   * health status changes and after a control-plane restart, so it must be idempotent.
   */
  void taskRunning(Service service, Task task);

  /**
   * Tells that a task of the service is about to stop (DEACTIVATING, or asked to stop) or has
   * stopped: take it out of rotation and start draining it. Told again after a restart.
   */
  void taskStopping(Service service, Task task);

  /**
   * Returns true once a task told {@link #taskStopping} has drained, so its containers may be
   * stopped; true at once for a task that had nothing to drain.
   */
  boolean drained(Service service, Task task);

  /** Returns the attachment's verdict on a RUNNING task of the service. */
  Health health(Service service, Task task);

  /**
   * Returns the ARN of the target group that calls a RUNNING task of the service unhealthy, or null
   * if none does.
   */
  default String unhealthyIn(Service service, Task task) {
    return null;
  }

  /**
   * Returns true if the service's RUNNING tasks are drained before their containers stop, which
   * they are when the service has load balancers.
   */
  static boolean drainsBeforeStop(Service service) {
    JsonNode loadBalancers = service.settings().loadBalancers();
    return loadBalancers != null && loadBalancers.isArray() && !loadBalancers.isEmpty();
  }
}
