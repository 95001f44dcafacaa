package dev.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.UUID;

/**
 * Task sets as the server sends them on the agent channel, for tests: each task in ECS's
 * DescribeTasks shape with its task definition in ECS's DescribeTaskDefinition shape.
 */
final class Tasks {
  static final String CLUSTER = "default";
  static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:000000000000:cluster/" + CLUSTER;
  static final String INSTANCE_ARN =
      "arn:aws:ecs:us-east-1:000000000000:container-instance/"
          + CLUSTER
          + "/0123456789abcdef0123456789abcdef";

  /** One entry of a task set: a task and its definition. */
  record Placed(ObjectNode task, ObjectNode taskDefinition) {
    /** Returns the task's ARN. */
    String arn() {
      return task.path("taskArn").asText();
    }

    /** Returns the same task as the server sends it once told to stop it, with the reason. */
    Placed stopped(String reason) {
      ObjectNode copy = task.deepCopy();
      copy.put("desiredStatus", "STOPPED");
      copy.put("stoppedReason", reason);
      return new Placed(copy, taskDefinition);
    }

    /** Returns the same task with the last status the server has for it. */
    Placed lastStatus(String status) {
      ObjectNode copy = task.deepCopy();
      copy.put("lastStatus", status);
      return new Placed(copy, taskDefinition);
    }
  }

  private Tasks() {}

  /** Returns an essential container definition of that name with an image named after it. */
  static ObjectNode container(String name) {
    ObjectNode container = Json.object();
    container.put("name", name);
    container.put("image", "registry.example/" + name + ":1");
    container.put("essential", true);
    return container;
  }

  /** Returns the container definition, made non-essential. */
  static ObjectNode nonEssential(ObjectNode container) {
    return container.put("essential", false);
  }

  /** Adds a dependsOn condition to the container definition and returns it. */
  static ObjectNode dependsOn(ObjectNode container, String containerName, String condition) {
    ObjectNode dependency = container.withArray("dependsOn").addObject();
    dependency.put("containerName", containerName);
    dependency.put("condition", condition);
    return container;
  }

  /** Adds a Docker health check to the container definition and returns it. */
  static ObjectNode healthCheck(ObjectNode container) {
    ObjectNode check = container.putObject("healthCheck");
    check.putArray("command").add("CMD-SHELL").add("true");
    return container;
  }

  /** Publishes the container port on a static host port (bridge mode) and returns it. */
  static ObjectNode publish(ObjectNode container, int containerPort, int hostPort) {
    ObjectNode mapping = container.withArray("portMappings").addObject();
    mapping.put("containerPort", containerPort);
    mapping.put("hostPort", hostPort);
    mapping.put("protocol", "tcp");
    return container;
  }

  /** Returns revision 1 of a task definition of the family with the containers, in order. */
  static ObjectNode definition(String family, ObjectNode... containers) {
    ObjectNode definition = Json.object();
    definition.put(
        "taskDefinitionArn", "arn:aws:ecs:us-east-1:000000000000:task-definition/" + family + ":1");
    definition.put("family", family);
    definition.put("revision", 1);
    definition.put("networkMode", "bridge");
    definition.put("status", "ACTIVE");
    ArrayNode list = definition.putArray("containerDefinitions");
    for (ObjectNode container : containers) {
      list.add(container);
    }
    return definition;
  }

  /** Returns a new task of the definition that the server wants RUNNING and has as PENDING. */
  static Placed newTask(ObjectNode definition) {
    String id = UUID.randomUUID().toString().replace("-", "");
    ObjectNode task = Json.object();
    task.put("taskArn", "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/" + id);
    task.put("clusterArn", CLUSTER_ARN);
    task.put("taskDefinitionArn", definition.path("taskDefinitionArn").asText());
    task.put("desiredStatus", "RUNNING");
    task.put("lastStatus", "PENDING");
    task.put("launchType", "EC2");
    task.putObject("overrides").putArray("containerOverrides");
    return new Placed(task, definition);
  }

  /** Returns the task set message's tasks member for the entries. */
  static JsonNode taskSet(Placed... entries) {
    ArrayNode set = Json.MAPPER.createArrayNode();
    for (Placed entry : entries) {
      ObjectNode item = set.addObject();
      item.set("task", entry.task());
      item.set("taskDefinition", entry.taskDefinition());
    }
    return set;
  }
}
