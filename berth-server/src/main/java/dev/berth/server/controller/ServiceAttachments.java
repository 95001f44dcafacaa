package dev.berth.server.controller;

import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.shape.ServiceRegistry;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a service's tasks are attached to besides the scheduler: load balancer target groups and
 * service discovery registries. It answers the controller's questions on health ({@link
 * AttachmentHealth}); it tells {@link ServiceAnnouncer} whether a task is attached as its state
 * says it should be; and it attaches and detaches tasks. The questions read what the target groups
 * and Cloud Map hold now, never a memory of what was done, so that the announcer, comparing them
 * with the cluster's tasks, redoes after a restart whatever a crash left undone. The default,
 * {@link #NONE}, attaches nothing.
 */
public interface ServiceAttachments extends AttachmentHealth {
  /** Attaches nothing and has no opinion on health. */
  ServiceAttachments NONE =
      new ServiceAttachments() {
        @Override
        public void validate(
            String region,
            List<LoadBalancer> loadBalancers,
            List<ServiceRegistry> serviceRegistries) {}

        @Override
        public boolean drained(Service service, Task task) {
          return true;
        }

        @Override
        public Health health(Service service, Task task) {
          return Health.HEALTHY;
        }

        @Override
        public boolean attached(Service service, Task task) {
          return true;
        }

        @Override
        public boolean detached(Service service, Task task) {
          return true;
        }

        @Override
        public CompletableFuture<Void> attach(Service service, Task task) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> detach(Service service, Task task) {
          return CompletableFuture.completedFuture(null);
        }
      };

  /**
   * Checks the {@code loadBalancers} and {@code serviceRegistries} of a CreateService or
   * UpdateService in the region against what they name (target groups attached to a load balancer,
   * Cloud Map services that exist), throwing ECS's InvalidParameterException if they do not hold.
   */
  void validate(
      String region, List<LoadBalancer> loadBalancers, List<ServiceRegistry> serviceRegistries);

  /**
   * Returns true if a RUNNING task of the service is registered everywhere it belongs, its Cloud
   * Map instances marked with its container health; true for a task with nothing to attach.
   */
  boolean attached(Service service, Task task);

  /** Returns true if no target group or Cloud Map service holds the task (draining aside). */
  boolean detached(Service service, Task task);

  /**
   * Registers a RUNNING task of the service where it belongs and marks its container health, doing
   * again whatever is done already; the future completes once the registrations are durable.
   */
  CompletableFuture<Void> attach(Service service, Task task);

  /**
   * Deregisters a stopping or stopped task from wherever it is registered; its targets start to
   * drain. The future completes once the deregistrations are durable, not when they have drained.
   */
  CompletableFuture<Void> detach(Service service, Task task);

  /**
   * Returns true if the service's RUNNING tasks are drained before their containers stop, which
   * they are when the service has load balancers.
   */
  static boolean drainsBeforeStop(Service service) {
    return !service.settings().loadBalancers().isEmpty();
  }
}
