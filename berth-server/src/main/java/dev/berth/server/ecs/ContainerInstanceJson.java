package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;

/**
 * ECS's ContainerInstance shape of a stored container instance, as Describe and Register answer.
 */
final class ContainerInstanceJson {
  private ContainerInstanceJson() {}

  /** Returns ECS's ContainerInstance shape, with the instance's tasks counted; tags if asked. */
  static ObjectNode of(ClusterState holder, ContainerInstance instance, boolean includeTags) {
    ObjectNode node = Json.object();
    node.put("containerInstanceArn", instance.arn());
    node.put("ec2InstanceId", instance.ec2InstanceId());
    node.put("version", instance.version());
    if (instance.versionInfo() != null) {
      node.set("versionInfo", instance.versionInfo());
    }
    var reserved = holder.tasks().reservedOn(instance.arn());
    node.set(
        "remainingResources", ResourceList.remaining(instance.registeredResources(), reserved));
    node.set("registeredResources", ResourceList.toJson(instance.registeredResources()));
    node.put("status", instance.status());
    node.put("agentConnected", holder.instances().agentConnected(instance.arn()));
    int running = 0;
    int pending = 0;
    for (Task task : holder.tasks().activeOn(instance.arn())) {
      if (TaskLifecycle.RUNNING.equals(task.lastStatus())) {
        running++;
      } else if (TaskLifecycle.pending(task.lastStatus())) {
        pending++;
      }
    }
    node.put("runningTasksCount", running);
    node.put("pendingTasksCount", pending);
    node.set("attributes", Attribute.toJson(instance.attributes()));
    node.set("registeredAt", Json.timestamp(instance.registeredAt()));
    node.putArray("attachments");
    if (includeTags) {
      node.set("tags", Tag.toJson(instance.tags()));
    }
    return node;
  }
}
