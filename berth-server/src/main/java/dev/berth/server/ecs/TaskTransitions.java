package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskContainer;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a task changes: stop requests, the agent's reports of the task and its containers, and
 * container health. Every transition only moves forward, so applying a report twice, or a stale one
 * after a newer, leaves the task as it was (and {@link Task#changed} then writes nothing).
 */
final class TaskTransitions {
  private static final Set<String> HEALTH = Set.of("HEALTHY", "UNHEALTHY", TaskLifecycle.UNKNOWN);

  /** What the agent reported about one container; null members were not reported. */
  record ContainerReport(
      String name,
      String status,
      String runtimeId,
      Integer exitCode,
      String reason,
      String imageDigest,
      JsonNode networkBindings) {}

  /** What the agent reported about a task; null members were not reported. */
  record TaskReport(
      String status,
      Long pullStartedAt,
      Long pullStoppedAt,
      Long executionStoppedAt,
      String reason,
      List<ContainerReport> containers) {}

  private TaskTransitions() {}

  /** Returns the task asked to stop: desired STOPPED, with the first code and reason kept. */
  static Task stopRequested(Task task, String code, String reason, long now) {
    return task.changed(task.lifecycle().stopRequested(code, reason, now), task.containers());
  }

  /**
   * Returns the task asked to stop that is first unwired: a RUNNING one turns DEACTIVATING, and its
   * agent leaves it running until {@link #deactivated} moves it on.
   */
  static Task deactivating(Task task, String code, String reason, long now) {
    return task.changed(task.lifecycle().deactivating(code, reason, now), task.containers());
  }

  /** Returns a DEACTIVATING task whose unwiring is done: STOPPING, for its agent to stop. */
  static Task deactivated(Task task) {
    return task.changed(task.lifecycle().deactivated(), task.containers());
  }

  /**
   * Returns the task stopped by the server itself, for a task no agent will stop: asked to stop,
   * then STOPPED with every container.
   */
  static Task stoppedByServer(Task task, String code, String reason, long now) {
    Task asked = stopRequested(task, code, reason, now);
    return reported(
        asked, new TaskReport(TaskLifecycle.STOPPED, null, null, null, null, List.of()), now);
  }

  /**
   * Returns the task after an agent's report: containers first (each forward only), then the task's
   * own status (forward only). A STOPPED task stops its remaining containers too.
   */
  static Task reported(Task task, TaskReport report, long now) {
    List<TaskContainer> containers = new ArrayList<>(task.containers());
    for (ContainerReport containerReport : report.containers()) {
      for (int i = 0; i < containers.size(); i++) {
        if (containers.get(i).name().equals(containerReport.name())) {
          containers.set(i, reported(containers.get(i), containerReport));
        }
      }
    }
    TaskLifecycle lifecycle =
        task.lifecycle()
            .reported(
                report.status(),
                report.pullStartedAt(),
                report.pullStoppedAt(),
                report.executionStoppedAt(),
                report.reason(),
                now);
    if (lifecycle.hasStopped()) {
      for (int i = 0; i < containers.size(); i++) {
        TaskContainer container = containers.get(i);
        if (!TaskLifecycle.STOPPED.equals(container.lastStatus())) {
          containers.set(
              i,
              container.withReport(
                  TaskLifecycle.STOPPED,
                  container.runtimeId(),
                  container.exitCode(),
                  container.reason(),
                  container.imageDigest(),
                  container.networkBindings()));
        }
      }
    }
    return task.changed(lifecycle, containers);
  }

  /**
   * Returns a container after an agent's report of it: a status behind the container's is stale and
   * ignored with everything it carries; otherwise the status moves and what the report knows
   * replaces what was known.
   */
  static TaskContainer reported(TaskContainer container, ContainerReport report) {
    String status = report.status() == null ? container.lastStatus() : report.status();
    if (TaskLifecycle.order(status) < TaskLifecycle.order(container.lastStatus())) {
      return container;
    }
    return container.withReport(
        status,
        report.runtimeId() != null ? report.runtimeId() : container.runtimeId(),
        report.exitCode() != null ? report.exitCode() : container.exitCode(),
        report.reason() != null ? report.reason() : container.reason(),
        report.imageDigest() != null ? report.imageDigest() : container.imageDigest(),
        // An agent that knows no bindings sends none or an empty list: keep what it said before.
        report.networkBindings() != null && !report.networkBindings().isEmpty()
            ? report.networkBindings()
            : container.networkBindings());
  }

  /**
   * Returns the task with its containers' health as the agent reported it (names it does not know
   * and values that are not a health status are ignored) and the task's health as ECS derives it:
   * UNHEALTHY if any essential container is, HEALTHY if every essential container with a health
   * check is and there is one, else UNKNOWN.
   */
  static Task withHealth(Task task, Map<String, String> healthByContainer) {
    List<TaskContainer> containers = new ArrayList<>();
    for (TaskContainer container : task.containers()) {
      String health = healthByContainer.get(container.name());
      containers.add(
          health != null && HEALTH.contains(health) ? container.withHealth(health) : container);
    }
    boolean anyUnhealthy = false;
    boolean anyChecked = false;
    boolean allHealthy = true;
    for (TaskContainer container : containers) {
      if (!container.essential()) {
        continue;
      }
      anyUnhealthy |= "UNHEALTHY".equals(container.healthStatus());
      if (container.healthChecked()) {
        anyChecked = true;
        allHealthy &= "HEALTHY".equals(container.healthStatus());
      }
    }
    String taskHealth =
        anyUnhealthy ? "UNHEALTHY" : anyChecked && allHealthy ? "HEALTHY" : TaskLifecycle.UNKNOWN;
    return task.changed(task.lifecycle().withHealth(taskHealth), containers);
  }
}
