package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a task's containers as ECS does: STOPPING is reported, then each container still running is
 * stopped in reverse start order with its stopTimeout (its stop signal, then SIGKILL), and each
 * container's exit code is read back for the STOPPED report.
 */
final class TaskStop {
  private static final Logger LOG = LoggerFactory.getLogger(TaskStop.class);

  private final TaskContainers containers;
  private final TaskReports reports;

  TaskStop(TaskContainers containers, TaskReports reports) {
    this.containers = requireNonNull(containers);
    this.reports = requireNonNull(reports);
  }

  /** Stops every container still running and marks each STOPPED. */
  void stopAll() {
    String taskArn = containers.taskArn;
    if (containers.all().stream().anyMatch(c -> c.dockerId != null && !c.exited())) {
      reports.taskStopping(taskArn, containers.all());
    }
    List<ContainerRun> order = new ArrayList<>(containers.startOrder());
    Collections.reverse(order);
    for (ContainerRun container : order) {
      if (container.dockerId != null && !container.exited()) {
        try {
          containers.runtime.stop(container.dockerId, TaskContainers.stopTimeout(container));
        } catch (RuntimeException e) {
          LOG.warn(
              "could not stop container {} of {}: {}", container.name, taskArn, e.getMessage());
        }
      }
    }
    for (ContainerRun container : containers.all()) {
      if (container.dockerId != null) {
        containers.refresh(container);
      }
      if (!container.exited()) {
        container.status = "STOPPED";
      }
    }
  }
}
