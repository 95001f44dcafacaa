package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.state.Attribute;
import dev.berth.server.state.Tag;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskContainer;
import dev.berth.server.state.TaskLifecycle;
import dev.berth.server.state.TaskSpec;

/** Renders tasks in ECS's {@code Task} shape, as DescribeTasks and the agent channel send them. */
final class TaskJson {
  private TaskJson() {}

  /** Returns ECS's Task shape of a task; its tags only if asked. */
  static ObjectNode toJson(Task task, boolean includeTags) {
    TaskSpec spec = task.spec();
    TaskLifecycle lifecycle = task.lifecycle();
    ObjectNode node = Json.object();
    node.putArray("attachments");
    node.set("attributes", Attribute.toJson(spec.attributes()));
    putIfPresent(node, "availabilityZone", spec.availabilityZone());
    node.put("clusterArn", spec.clusterArn());
    putIfPresent(node, "connectivity", lifecycle.connectivity());
    putTime(node, "connectivityAt", lifecycle.connectivityAt());
    node.put("containerInstanceArn", spec.containerInstanceArn());
    ArrayNode containers = node.putArray("containers");
    for (TaskContainer container : task.containers()) {
      containers.add(toJson(container, spec.arn()));
    }
    putIfPresent(node, "cpu", spec.cpu());
    node.set("createdAt", Json.timestamp(spec.createdAt()));
    node.put("desiredStatus", lifecycle.desiredStatus());
    node.put("enableExecuteCommand", spec.enableExecuteCommand());
    putTime(node, "executionStoppedAt", lifecycle.executionStoppedAt());
    node.put("group", spec.group());
    node.put("healthStatus", lifecycle.healthStatus());
    node.put("lastStatus", lifecycle.lastStatus());
    node.put("launchType", spec.launchType());
    putIfPresent(node, "memory", spec.memory());
    node.set("overrides", spec.overrides());
    putTime(node, "pullStartedAt", lifecycle.pullStartedAt());
    putTime(node, "pullStoppedAt", lifecycle.pullStoppedAt());
    putTime(node, "startedAt", lifecycle.startedAt());
    putIfPresent(node, "startedBy", spec.startedBy());
    putIfPresent(node, "stopCode", lifecycle.stopCode());
    putTime(node, "stoppedAt", lifecycle.stoppedAt());
    putIfPresent(node, "stoppedReason", lifecycle.stoppedReason());
    putTime(node, "stoppingAt", lifecycle.stoppingAt());
    if (includeTags) {
      node.set("tags", Tag.toJson(task.tags()));
    }
    node.put("taskArn", spec.arn());
    node.put("taskDefinitionArn", spec.taskDefinitionArn());
    node.put("version", task.version());
    return node;
  }

  /** Returns ECS's Container shape of one container of a task. */
  static ObjectNode toJson(TaskContainer container, String taskArn) {
    ObjectNode node = Json.object();
    node.put("containerArn", container.arn());
    node.put("taskArn", taskArn);
    node.put("name", container.name());
    node.put("image", container.image());
    putIfPresent(node, "imageDigest", container.imageDigest());
    putIfPresent(node, "runtimeId", container.runtimeId());
    node.put("lastStatus", container.lastStatus());
    if (container.exitCode() != null) {
      node.put("exitCode", container.exitCode());
    }
    putIfPresent(node, "reason", container.reason());
    node.set("networkBindings", container.networkBindings());
    node.putArray("networkInterfaces");
    node.put("healthStatus", container.healthStatus());
    node.put("cpu", Integer.toString(container.cpu() == null ? 0 : container.cpu()));
    if (container.memory() != null) {
      node.put("memory", container.memory().toString());
    }
    if (container.memoryReservation() != null) {
      node.put("memoryReservation", container.memoryReservation().toString());
    }
    return node;
  }

  private static void putIfPresent(ObjectNode node, String member, String value) {
    if (value != null) {
      node.put(member, value);
    }
  }

  private static void putTime(ObjectNode node, String member, Long epochMillis) {
    if (epochMillis != null) {
      node.set(member, Json.timestamp(epochMillis));
    }
  }
}
