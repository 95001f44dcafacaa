package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.RuntimeFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Starts a task's created containers in dependsOn order: each once every container it depends on
 * has met its condition (START, COMPLETE, SUCCESS, HEALTHY), each within its own startTimeout. It
 * waits for Docker's events between steps, not on a timer.
 */
final class DependencyOrder {
  private final TaskContainers containers;
  private final TaskSignals signals;
  private final Clock clock;

  DependencyOrder(TaskContainers containers, TaskSignals signals, Clock clock) {
    this.containers = requireNonNull(containers);
    this.signals = requireNonNull(signals);
    this.clock = requireNonNull(clock);
  }

  /**
   * Starts the waiting containers; returns null when all have started, else the reason the task
   * must stop. A condition that can never be met, or a startTimeout passed, is thrown as a failure.
   */
  String start(List<ContainerRun> waiting) throws InterruptedException {
    Instant began = clock.instant();
    while (!waiting.isEmpty()) {
      if (signals.stopRequested()) {
        return signals.stopReason();
      }
      boolean progressed = false;
      for (ContainerRun container : List.copyOf(waiting)) {
        Boolean ready = dependenciesMet(container);
        if (ready == null) {
          throw new RuntimeFailure(
              "DependencyFailed",
              "Container "
                  + container.name
                  + " cannot start: a container it depends on did not reach its condition");
        }
        if (ready) {
          TaskLaunch.step(
              container,
              () -> {
                containers.runtime.start(container.dockerId);
                return null;
              });
          containers.started(container);
          waiting.remove(container);
          progressed = true;
        }
      }
      if (!progressed) {
        String reason = containers.essentialExited();
        if (reason != null) {
          return reason;
        }
        // A dependency's start, exit or health change is a Docker event that wakes the runner; so
        // is the engine's periodic reconcile, by which a passed startTimeout is noticed too.
        signals.await(timeLeft(waiting, Duration.between(began, clock.instant())));
        containers.refreshRunning();
      }
    }
    return null;
  }

  /**
   * Returns the time left until the nearest startTimeout of the waiting containers, null when none
   * sets one; throws once one has passed.
   */
  private static Duration timeLeft(List<ContainerRun> waiting, Duration waited) {
    Duration nearest = null;
    for (ContainerRun container : waiting) {
      Duration timeout = TaskContainers.startTimeout(container);
      if (timeout == null) {
        continue;
      }
      if (waited.compareTo(timeout) >= 0) {
        throw new RuntimeFailure(
            "DependencyTimeout",
            "Timed out after "
                + timeout.toSeconds()
                + " s waiting for the dependencies of container "
                + container.name);
      }
      Duration left = timeout.minus(waited);
      if (nearest == null || left.compareTo(nearest) < 0) {
        nearest = left;
      }
    }
    return nearest;
  }

  /** Returns true if the container may start, false if not yet, null if it never will. */
  private Boolean dependenciesMet(ContainerRun container) {
    for (JsonNode dependency : container.definition.path("dependsOn")) {
      ContainerRun other = containers.get(dependency.path("containerName").asText());
      if (other == null) {
        return null;
      }
      switch (dependency.path("condition").asText()) {
        case "START" -> {
          if (!other.started) {
            return false;
          }
        }
        case "COMPLETE" -> {
          if (!other.exited()) {
            return false;
          }
        }
        case "SUCCESS" -> {
          if (!other.exited()) {
            return false;
          }
          if (other.exitCode == null || other.exitCode != 0) {
            return null;
          }
        }
        case "HEALTHY" -> {
          if (other.exited() || other.health == HealthStatus.UNHEALTHY) {
            return null;
          }
          if (other.health != HealthStatus.HEALTHY) {
            return false;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return true;
  }
}
