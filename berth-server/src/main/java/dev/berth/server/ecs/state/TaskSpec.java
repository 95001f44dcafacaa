package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What RunTask or StartTask decided about a task, fixed for its life: its identity, where it runs,
 * what it runs with, and the resources it reserves on its container instance until it stops.
 * Task-level cpu and memory are null when neither the task definition nor an override set them.
 *
 * <p>Stored without its null members, which read back as null: tasks are many.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    String arn,
    String clusterArn,
    String taskDefinitionArn,
    String containerInstanceArn,
    String launchType,
    String cpu,
    String memory,
    JsonNode overrides,
    String startedBy,
    String group,
    String availabilityZone,
    List<Attribute> attributes,
    boolean enableExecuteCommand,
    Resources reservation,
    long createdAt) {

  /** Creates a task spec; the attribute list is copied. */
  public TaskSpec {
    requireNonNull(arn);
    requireNonNull(clusterArn);
    requireNonNull(taskDefinitionArn);
    requireNonNull(containerInstanceArn);
    requireNonNull(launchType);
    requireNonNull(overrides);
    requireNonNull(group);
    attributes = List.copyOf(attributes);
    requireNonNull(reservation);
  }
}
