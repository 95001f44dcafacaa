package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps target groups and Cloud Map in line with a service's tasks, level-triggered: a RUNNING task
 * is registered where it belongs, with its container health; a task stopping or stopped is
 * deregistered (its targets drain). It compares the tasks as the cluster's committed state has them
 * with what the attachments hold now and issues only the difference, remembering nothing itself: a
 * crash between a task's commit and its registration is made good by the next run after start-up.
 * It runs after the scheduler's command is durable, never from inside the decision.
 */
public final class ServiceAnnouncer {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAnnouncer.class);

  /**
   * What one run did for a service: how many tasks it registered and deregistered, and a future
   * completed once those changes are durable (a drain may go on after it).
   */
  public record Announcement(int registered, int deregistered, CompletableFuture<Void> done) {
    /** Returns true if the run issued nothing for the service. */
    public boolean none() {
      return registered == 0 && deregistered == 0;
    }
  }

  private final ServiceAttachments attachments;

  /** Creates an announcer over the attachments given. */
  public ServiceAnnouncer(ServiceAttachments attachments) {
    this.attachments = requireNonNull(attachments);
  }

  /** Registers and deregisters the service's tasks (its group's) as their states ask. */
  public Announcement announce(Service service, Collection<Task> tasks) {
    List<CompletableFuture<Void>> issued = new ArrayList<>();
    int registered = 0;
    int deregistered = 0;
    for (Task task : tasks) {
      try {
        if (ServiceTasks.running(task)) {
          if (!attachments.attached(service, task)) {
            // Only a task registered nowhere yet counts as registered: one whose health changed
            // is only marked again.
            boolean fresh = attachments.detached(service, task);
            issued.add(quietly(attachments.attach(service, task), "attach", task));
            registered += fresh ? 1 : 0;
          }
        } else if (leaving(task) && !attachments.detached(service, task)) {
          issued.add(quietly(attachments.detach(service, task), "detach", task));
          deregistered++;
        }
      } catch (RuntimeException e) {
        // One task the attachments cannot handle must not hold up the others; the next run
        // tries it again.
        LOG.warn("cannot announce task {} of {}", task.arn(), service.arn(), e);
      }
    }
    return new Announcement(
        registered,
        deregistered,
        CompletableFuture.allOf(issued.toArray(CompletableFuture[]::new)));
  }

  /**
   * Returns the service with ECS's events for what a run did: one per target group of its load
   * balancers for the targets registered, one for those deregistered; the same service if none.
   */
  public static Service withTargetEvents(Service service, Announcement announcement, long now) {
    List<LoadBalancer> loadBalancers = service.settings().loadBalancers();
    if (announcement.none() || loadBalancers.isEmpty()) {
      return service;
    }
    ServiceEvents events = new ServiceEvents(service.name(), service.events(), now);
    for (LoadBalancer loadBalancer : loadBalancers) {
      String group = loadBalancer.targetGroupArn();
      if (group == null) {
        continue;
      }
      if (announcement.registered() > 0) {
        events.registeredTargets(announcement.registered(), group);
      }
      if (announcement.deregistered() > 0) {
        events.deregisteredTargets(announcement.deregistered(), group);
      }
    }
    return events.changed()
        ? service.withProgress(service.deployments(), events.events(), service.steady())
        : service;
  }

  /**
   * Returns true if a task is on its way out or gone: asked to stop (DEACTIVATING included), or
   * STOPPED.
   */
  private static boolean leaving(Task task) {
    return task.lifecycle().hasStopped()
        || !TaskLifecycle.RUNNING.equals(task.desiredStatus())
        || TaskLifecycle.DEACTIVATING.equals(task.lastStatus());
  }

  private static CompletableFuture<Void> quietly(
      CompletableFuture<Void> change, String what, Task task) {
    return change.exceptionally(
        failure -> {
          // Logged where it failed; the next run sees the difference again and retries.
          LOG.debug("cannot {} task {}: {}", what, task.arn(), failure.toString());
          return null;
        });
  }
}
