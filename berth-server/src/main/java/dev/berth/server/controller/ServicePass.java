package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service as one decision sees it: the service, its tasks (stopped ones included), the fleet
 * around it, what its attachments say of its tasks' health and the time; and the stops decided so
 * far, which the plans that follow must not count again. Read-only but for the stops.
 */
final class ServicePass {
  private final Service service;
  private final Collection<Task> tasks;
  private final ServiceController.Fleet fleet;
  private final AttachmentHealth attachments;
  private final long now;
  private final Map<String, ServiceController.Stop> stops = new LinkedHashMap<>();

  ServicePass(
      Service service,
      Collection<Task> tasks,
      ServiceController.Fleet fleet,
      AttachmentHealth attachments,
      long now) {
    this.service = requireNonNull(service);
    this.tasks = requireNonNull(tasks);
    this.fleet = requireNonNull(fleet);
    this.attachments = requireNonNull(attachments);
    this.now = now;
  }

  Service service() {
    return service;
  }

  Collection<Task> tasks() {
    return tasks;
  }

  ServiceController.Fleet fleet() {
    return fleet;
  }

  AttachmentHealth attachments() {
    return attachments;
  }

  long now() {
    return now;
  }

  /** Returns true if a task counts as healthy: running, containers healthy, attachments agree. */
  boolean healthy(Task task) {
    return ServiceTasks.running(task)
        && ServiceTasks.containersHealthy(task)
        && attachments.health(service, task) == AttachmentHealth.Health.HEALTHY;
  }

  /** Returns true if a RUNNING task failed its health checks and its grace period is over. */
  boolean replaceable(Task task) {
    if (!ServiceTasks.running(task)) {
      return false;
    }
    boolean unhealthy =
        "UNHEALTHY".equals(task.lifecycle().healthStatus())
            || attachments.health(service, task) == AttachmentHealth.Health.UNHEALTHY;
    Long started = task.lifecycle().startedAt();
    long graceEnds = (started == null ? now : started) + service.settings().gracePeriodMillis();
    return unhealthy && now >= graceEnds;
  }

  /** Returns true if the task is live and not stopped by this pass yet: the plans' candidates. */
  boolean candidate(Task task) {
    return ServiceTasks.live(task) && !stops.containsKey(task.arn());
  }

  /** Asks a task to stop, with the reason given, unless this pass already did. */
  void stop(Task task, String reason) {
    stops.putIfAbsent(task.arn(), new ServiceController.Stop(task, reason));
  }

  /** Returns the stops decided so far, in the order they were decided. */
  List<ServiceController.Stop> stops() {
    return new ArrayList<>(stops.values());
  }

  /** Returns the tasks not yet STOPPED of a deployment (of any deployment for null). */
  int occupying(String deploymentId) {
    int count = 0;
    for (Task task : tasks) {
      if (!task.lifecycle().hasStopped()
          && (deploymentId == null || deploymentId.equals(task.spec().startedBy()))) {
        count++;
      }
    }
    return count;
  }

  /** Returns how many tasks are DEACTIVATING: asked to stop, their targets draining. */
  int deactivating() {
    int count = 0;
    for (Task task : tasks) {
      if (TaskLifecycle.DEACTIVATING.equals(task.lastStatus())) {
        count++;
      }
    }
    return count;
  }

  /** Orders tasks from the first to keep to the first to stop: healthy and oldest first. */
  Comparator<Task> stopOrder() {
    return Comparator.<Task, Boolean>comparing(task -> !healthy(task))
        .thenComparing(task -> !TaskLifecycle.RUNNING.equals(task.lastStatus()))
        .thenComparingLong(task -> task.spec().createdAt())
        .thenComparing(Task::arn);
  }

  /** Returns ECS's reason for a stop the scheduler decides to scale or to deploy. */
  String scalingReason(ServiceDeployment primary) {
    return primary == null
        ? "Scaling activity initiated by (service " + service.name() + ")"
        : "Scaling activity initiated by (deployment " + primary.id() + ")";
  }

  /** Returns true if the task belongs to the deployment given. */
  static boolean of(ServiceDeployment deployment, Task task) {
    return deployment != null && deployment.id().equals(task.spec().startedBy());
  }
}
