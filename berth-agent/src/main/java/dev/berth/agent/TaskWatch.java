package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches a running task until it must stop: looks at its containers each time a Docker event or
 * the engine's periodic reconcile wakes it, reports a non-essential container that exits and any
 * change of health, and ends when an essential container exits or a stop is requested.
 */
final class TaskWatch {
  private final TaskContainers containers;
  private final TaskReports reports;
  private final TaskSignals signals;
  private final Map<String, HealthStatus> lastHealth = new LinkedHashMap<>();

  TaskWatch(TaskContainers containers, TaskReports reports, TaskSignals signals) {
    this.containers = requireNonNull(containers);
    this.reports = requireNonNull(reports);
    this.signals = requireNonNull(signals);
  }

  /** Watches until the task must stop and returns why, or returns null once detached. */
  String watch() throws InterruptedException {
    while (true) {
      if (signals.detached()) {
        return null;
      }
      if (signals.stopRequested()) {
        return signals.stopReason();
      }
      String exited = containers.essentialExited();
      if (exited != null) {
        return exited;
      }
      if (look()) {
        return TaskContainers.ESSENTIAL_EXITED;
      }
      if (containers.allExited()) {
        return TaskContainers.ESSENTIAL_EXITED;
      }
      signals.await(null);
    }
  }

  /** Looks at every container still running; returns true if an essential one has exited. */
  private boolean look() {
    boolean healthChanged = false;
    for (ContainerRun container : containers.all()) {
      if (container.dockerId == null || container.exited()) {
        continue;
      }
      containers.refresh(container);
      if (container.hasHealthCheck()
          && lastHealth.put(container.name, container.health) != container.health) {
        healthChanged = true;
      }
      if (container.exited()) {
        if (container.essential) {
          return true;
        }
        reports.containerStopped(containers.taskArn, container);
      }
    }
    if (healthChanged) {
      reports.health(containers.taskArn, containers.all());
    }
    return false;
  }
}
