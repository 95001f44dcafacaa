package dev.berth.agent.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every container of one task shares when it is turned into a {@link ContainerSpec}: the
 * cluster, the task ARN, the task definition, the task's volumes and the Docker name of each of its
 * containers (by ECS container name), which links and volumesFrom refer to.
 */
public record TaskScope(
    String clusterName,
    String taskArn,
    ObjectNode taskDefinition,
    TaskVolumes volumes,
    Map<String, String> containerNames) {
  /** Checks the parts and copies the names. */
  public TaskScope {
    requireNonNull(clusterName, "clusterName");
    requireNonNull(taskArn, "taskArn");
    requireNonNull(taskDefinition, "taskDefinition");
    requireNonNull(volumes, "volumes");
    containerNames = Map.copyOf(containerNames);
  }

  /**
   * Returns the scope of a new task: its volumes planned and a fresh ECS-style Docker name for each
   * of its containers.
   */
  public static TaskScope forNewTask(
      String clusterName, String taskArn, ObjectNode taskDefinition) {
    String family = EcsJson.text(taskDefinition, "family");
    Integer revision = EcsJson.integer(taskDefinition, "revision");
    if (family == null || revision == null) {
      throw new IllegalArgumentException("the task definition needs a family and a revision");
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (JsonNode container : EcsJson.items(taskDefinition, "containerDefinitions")) {
      String name = EcsJson.text(container, "name");
      if (name == null) {
        throw new IllegalArgumentException("a container definition without a name");
      }
      names.put(name, ContainerSpecs.dockerName(family, revision, name));
    }
    return new TaskScope(
        clusterName,
        taskArn,
        taskDefinition,
        TaskVolumes.plan(taskDefinition, taskArn, clusterName),
        names);
  }

  /** Returns the task definition family. */
  public String family() {
    return EcsJson.text(taskDefinition, "family");
  }

  /** Returns the task definition revision. */
  public int revision() {
    Integer revision = EcsJson.integer(taskDefinition, "revision");
    return revision == null ? 0 : revision;
  }

  /** Returns the Docker network mode the task asks for; ECS on Linux hosts defaults to bridge. */
  public String networkMode() {
    String mode = EcsJson.text(taskDefinition, "networkMode");
    return mode == null ? "bridge" : mode;
  }
}
