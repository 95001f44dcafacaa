package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;

/**
 * One container of a task as stored: what the task definition and overrides made of it (name,
 * image, resources, whether it is essential and has a health check) and what its agent last
 * reported about it.
 *
 * <p>Stored without its null members, which read back as null: a task is written at least twice.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskContainer(
    String arn,
    String name,
    String image,
    boolean essential,
    boolean healthChecked,
    Integer cpu,
    Integer memory,
    Integer memoryReservation,
    String lastStatus,
    String runtimeId,
    Integer exitCode,
    String reason,
    String imageDigest,
    JsonNode networkBindings,
    String healthStatus) {

  /** Creates a container record; absent network bindings are none, absent health is UNKNOWN. */
  public TaskContainer {
    requireNonNull(arn);
    requireNonNull(name);
    requireNonNull(image);
    requireNonNull(lastStatus);
    networkBindings =
        networkBindings == null || networkBindings.isNull() ? Json.array() : networkBindings;
    healthStatus = healthStatus == null ? TaskLifecycle.UNKNOWN : healthStatus;
  }

  /** Returns a copy with what the agent reported: a status and the details it knows. */
  public TaskContainer withReport(
      String newStatus,
      String newRuntimeId,
      Integer newExitCode,
      String newReason,
      String newImageDigest,
      JsonNode newNetworkBindings) {
    return new TaskContainer(
        arn,
        name,
        image,
        essential,
        healthChecked,
        cpu,
        memory,
        memoryReservation,
        newStatus,
        newRuntimeId,
        newExitCode,
        newReason,
        newImageDigest,
        newNetworkBindings,
        healthStatus);
  }

  /** Returns a copy with another health status. */
  public TaskContainer withHealth(String newHealth) {
    return new TaskContainer(
        arn,
        name,
        image,
        essential,
        healthChecked,
        cpu,
        memory,
        memoryReservation,
        lastStatus,
        runtimeId,
        exitCode,
        reason,
        imageDigest,
        networkBindings,
        newHealth);
  }
}
