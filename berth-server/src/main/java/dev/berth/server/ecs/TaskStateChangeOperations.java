package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.state.ClusterState;
import dev.berth.server.state.CommandResult;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskLifecycle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's reports: SubmitTaskStateChange and SubmitContainerStateChange, and container health
 * from the agent channel. Reports are applied idempotently and only ever move a task or container
 * forward; a task that reaches STOPPED releases what it reserved on its instance.
 */
final class TaskStateChangeOperations {
  private final EcsResources resources;
  private final Clock clock;

  TaskStateChangeOperations(EcsResources resources, Clock clock) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put("SubmitTaskStateChange", this::submitTaskStateChange);
    operations.put("SubmitContainerStateChange", this::submitContainerStateChange);
  }

  /** Applies an agent's report of a task and, optionally, its containers. */
  CompletableFuture<JsonNode> submitTaskStateChange(ObjectNode input, RequestContext context) {
    return submitTaskStateChange(input, context, null);
  }

  /**
   * Applies a report of a task and, optionally, its containers; with an instance ARN, only of a
   * task placed on that instance (as its agent's channel reports them), else the task is not found.
   */
  CompletableFuture<JsonNode> submitTaskStateChange(
      ObjectNode input, RequestContext context, String fromInstanceArn) {
    List<TaskTransitions.ContainerReport> containers = new ArrayList<>();
    for (JsonNode container : input.path("containers")) {
      containers.add(containerReport(container, Json.text(container, "containerName")));
    }
    TaskTransitions.TaskReport report =
        new TaskTransitions.TaskReport(
            status(Json.text(input, "status")),
            millis(input.get("pullStartedAt")),
            millis(input.get("pullStoppedAt")),
            millis(input.get("executionStoppedAt")),
            Json.text(input, "reason"),
            containers);
    return apply(input, context, report, fromInstanceArn);
  }

  /** Applies an agent's report of one container. */
  CompletableFuture<JsonNode> submitContainerStateChange(ObjectNode input, RequestContext context) {
    String name = Json.text(input, "containerName");
    if (name == null) {
      throw EcsErrors.invalidParameter("containerName is required.");
    }
    TaskTransitions.TaskReport report =
        new TaskTransitions.TaskReport(
            null, null, null, null, null, List.of(containerReport(input, name)));
    return apply(input, context, report, null);
  }

  /**
   * Records the health of a task's containers as the channel of the instance reported it, and the
   * task's health derived from them; fails with InvalidParameterException if the task is not on
   * that instance.
   */
  CompletableFuture<Void> reportHealth(
      ClusterState holder,
      String containerInstanceArn,
      String taskArn,
      Map<String, String> healthByContainer) {
    Map<String, String> health = Map.copyOf(healthByContainer);
    return holder.submit(
        current -> {
          Task task = holder.tasks().get(taskArn);
          if (task == null || !task.containerInstanceArn().equals(containerInstanceArn)) {
            throw TaskOperations.taskNotFound();
          }
          ClusterChanges changes = new ClusterChanges(holder);
          Task healthy = TaskTransitions.withHealth(task, health);
          if (healthy != task) {
            changes.put(healthy);
          }
          return new CommandResult<Void>(changes.records(), null);
        });
  }

  private CompletableFuture<JsonNode> apply(
      ObjectNode input,
      RequestContext context,
      TaskTransitions.TaskReport report,
      String fromInstanceArn) {
    ClusterState holder = resources.existingCluster(context, Json.text(input, "cluster"));
    if (holder == null) {
      throw EcsErrors.clusterNotFound();
    }
    String arn = EcsResources.taskArn(context, holder.name(), Json.text(input, "task"));
    ObjectNode acknowledged = Json.object().put("acknowledgment", "ACK");
    return holder.submit(
        current -> {
          Task task = arn == null ? null : holder.tasks().get(arn);
          if (task == null
              || fromInstanceArn != null && !fromInstanceArn.equals(task.containerInstanceArn())) {
            throw TaskOperations.taskNotFound();
          }
          for (TaskTransitions.ContainerReport container : report.containers()) {
            if (task.container(container.name()) == null) {
              throw EcsErrors.invalidParameter(
                  "The task has no container named " + container.name() + ".");
            }
          }
          Task changed = TaskTransitions.reported(task, report, clock.millis());
          ClusterChanges changes = new ClusterChanges(holder);
          if (changed != task) {
            changes.put(changed);
          }
          return new CommandResult<>(changes.records(), (JsonNode) acknowledged);
        });
  }

  private static TaskTransitions.ContainerReport containerReport(JsonNode report, String name) {
    if (name == null) {
      throw EcsErrors.invalidParameter("Each container state change must name its container.");
    }
    return new TaskTransitions.ContainerReport(
        name,
        status(Json.text(report, "status")),
        Json.text(report, "runtimeId"),
        report.has("exitCode") ? report.get("exitCode").intValue() : null,
        Json.text(report, "reason"),
        Json.text(report, "imageDigest"),
        report.get("networkBindings"));
  }

  private static String status(String status) {
    if (status != null && TaskLifecycle.order(status) < 0) {
      throw EcsErrors.invalidParameter(
          "Invalid status '"
              + status
              + "'. Valid statuses: "
              + String.join(", ", TaskLifecycle.ORDER)
              + ".");
    }
    return status;
  }

  private static Long millis(JsonNode timestamp) {
    return timestamp == null ? null : timestamp.decimalValue().movePointRight(3).longValue();
  }
}
