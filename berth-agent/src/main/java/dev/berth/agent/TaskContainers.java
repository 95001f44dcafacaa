package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.HostPortAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of one task as its runner tracks them, in definition order and in the order they
 * started, with what Docker said of each last; the steps of the task's lifecycle share it.
 */
final class TaskContainers {
  private static final Logger LOG = LoggerFactory.getLogger(TaskContainers.class);
  static final String ESSENTIAL_EXITED = "Essential container in task exited";

  final String taskArn;
  final ContainerRuntime runtime;
  final HostPortAllocator ports;
  private final Map<String, ContainerRun> byName = new LinkedHashMap<>();
  private final List<ContainerRun> startOrder = new ArrayList<>();

  TaskContainers(
      String taskArn,
      JsonNode task,
      ObjectNode taskDefinition,
      ContainerRuntime runtime,
      HostPortAllocator ports) {
    this.taskArn = requireNonNull(taskArn);
    this.runtime = requireNonNull(runtime);
    this.ports = requireNonNull(ports);
    Map<String, ObjectNode> overrides = new LinkedHashMap<>();
    for (JsonNode override : task.path("overrides").path("containerOverrides")) {
      overrides.put(override.path("name").asText(), (ObjectNode) override);
    }
    for (JsonNode definition : taskDefinition.path("containerDefinitions")) {
      String name = definition.path("name").asText();
      byName.put(
          name,
          new ContainerRun(
              name, ContainerSpecs.applyOverride((ObjectNode) definition, overrides.get(name))));
    }
  }

  /** Returns the containers in definition order. */
  Collection<ContainerRun> all() {
    return byName.values();
  }

  /** Returns the container of that name, or null. */
  ContainerRun get(String name) {
    return byName.get(name);
  }

  /** Returns the containers in the order they started. */
  List<ContainerRun> startOrder() {
    return startOrder;
  }

  /** Marks the container started and refreshes it from Docker. */
  void started(ContainerRun container) {
    container.started = true;
    refresh(container);
    startOrder.add(container);
  }

  /** Returns the reason the task must stop if an essential container has exited, else null. */
  String essentialExited() {
    for (ContainerRun container : byName.values()) {
      if (container.essential && container.exited()) {
        return ESSENTIAL_EXITED;
      }
    }
    return null;
  }

  /** Returns true once every container has exited. */
  boolean allExited() {
    return byName.values().stream().allMatch(ContainerRun::exited);
  }

  /** Refreshes every started container that has not exited. */
  void refreshRunning() {
    for (ContainerRun container : byName.values()) {
      if (container.dockerId != null && container.started && !container.exited()) {
        refresh(container);
      }
    }
  }

  /** Marks every container stopped with the reason. */
  void markAllStopped(String reason) {
    for (ContainerRun container : byName.values()) {
      container.status = "STOPPED";
      container.reason = reason;
    }
  }

  /** Updates a container's run from Docker's view of it. */
  void refresh(ContainerRun container) {
    ContainerStatus status;
    try {
      status = runtime.inspect(container.dockerId);
    } catch (RuntimeException e) {
      LOG.warn("cannot inspect {} of {}: {}", container.name, taskArn, e.getMessage());
      return;
    }
    if (status == null) {
      container.status = "STOPPED";
      container.reason = container.reason == null ? "Container was removed" : container.reason;
      return;
    }
    if (!status.ports().isEmpty()) {
      // Docker shows no ports once a container stops; keep the last ones for the report.
      container.bindings = status.ports();
    }
    container.health = status.health() == null ? HealthStatus.UNKNOWN : status.health();
    if (!container.started || status.state() == ContainerState.CREATED) {
      return;
    }
    if (status.state().isStopped()) {
      container.status = "STOPPED";
      container.exitCode = status.exitCode();
      if (status.oomKilled()) {
        container.reason = "OutOfMemoryError: Container killed due to memory usage";
      } else if (status.error() != null && !status.error().isBlank()) {
        container.reason = status.error();
      }
    } else {
      container.status = "RUNNING";
    }
  }

  /** Gives the host ports the allocator holds for the containers back. */
  void releasePorts() {
    for (ContainerRun container : byName.values()) {
      ports.release(container.claimed);
      container.claimed = List.of();
    }
  }

  /** Returns the container's stopTimeout, or ECS's default of 30 s. */
  static Duration stopTimeout(ContainerRun container) {
    JsonNode timeout = container.definition.get("stopTimeout");
    return timeout == null
        ? ContainerSpecs.DEFAULT_STOP_TIMEOUT
        : Duration.ofSeconds(timeout.asLong());
  }

  /** Returns the container's startTimeout, or null when it sets none. */
  static Duration startTimeout(ContainerRun container) {
    JsonNode timeout = container.definition.get("startTimeout");
    return timeout == null ? null : Duration.ofSeconds(timeout.asLong());
  }
}
