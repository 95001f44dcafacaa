package dev.berth.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.HealthStatus;
import dev.berth.agent.runtime.PortBinding;
import java.util.List;

/** One container of a task as its runner tracks it: the definition and what Docker said last. */
final class ContainerRun {
  final String name;
  final ObjectNode definition;
  final boolean essential;
  String dockerId;

  /** ECS status of the container: PENDING, RUNNING or STOPPED. */
  String status = "PENDING";

  Integer exitCode;
  String reason;

  /** The host ports as Docker last reported them, for the server's networkBindings. */
  List<PortBinding> bindings = List.of();

  /** The host ports this agent's allocator holds for the container, released once at stop. */
  List<PortBinding> claimed = List.of();

  HealthStatus health = HealthStatus.UNKNOWN;
  boolean started;

  ContainerRun(String name, ObjectNode definition) {
    this.name = name;
    this.definition = definition;
    this.essential = !definition.has("essential") || definition.get("essential").asBoolean(true);
  }

  /** Returns true if the definition has a Docker health check. */
  boolean hasHealthCheck() {
    return definition.has("healthCheck");
  }

  /** Returns true once the container has exited. */
  boolean exited() {
    return "STOPPED".equals(status);
  }
}
