package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the containers of a task that an earlier agent on this host left, as the ECS agent
 * does after a restart: running and exited ones are watched as they are, their host ports marked
 * taken; those created but never started are started in dependsOn order.
 */
final class TaskAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(TaskAdoption.class);

  private final TaskContainers containers;
  private final DependencyOrder order;

  TaskAdoption(TaskContainers containers, DependencyOrder order) {
    this.containers = requireNonNull(containers);
    this.order = requireNonNull(order);
  }

  /**
   * Adopts the Docker containers given (ECS name to id); returns null if the task runs on, else the
   * reason it must stop.
   */
  String adopt(Map<String, String> adopted) throws InterruptedException {
    List<ContainerRun> unstarted = new ArrayList<>();
    for (ContainerRun container : containers.all()) {
      container.dockerId = adopted.get(container.name);
      ContainerStatus status =
          container.dockerId == null ? null : containers.runtime.inspect(container.dockerId);
      if (status == null) {
        container.status = "STOPPED";
        container.reason = "Container was removed while the agent was not running";
      } else if (status.state() == ContainerState.CREATED) {
        unstarted.add(container);
      } else {
        containers.started(container);
        // Its ports are taken by the container itself: mark them, without probing them free.
        container.claimed = container.bindings;
        containers.ports.markInUse(container.claimed);
      }
    }
    LOG.info("adopted the containers of task {}", containers.taskArn);
    String reason = containers.essentialExited();
    if (reason == null && !unstarted.isEmpty()) {
      reason = order.start(unstarted);
    }
    return reason;
  }
}
