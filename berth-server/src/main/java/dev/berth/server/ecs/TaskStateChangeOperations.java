package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.auth.Authority;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    return submitTaskStateChange(input, context, reportingInstance(context));
  }

  /** Returns the instance a caller may report for: its own, if it signed with an instance's key. */
  private static String reportingInstance(RequestContext context) {
    return context.caller().isInstance() ? context.caller().containerInstanceArn() : null;
  }

  /**
   * Applies a report of a task and, optionally, its containers; with an instance ARN, only of a
   * task placed on that instance (as its agent's channel reports them), else the task is not found.
   */
  CompletableFuture<JsonNode> submitTaskStateChange(
      ObjectNode input, RequestContext context, String fromInstanceArn) {
    return apply(input, context, taskReport(input), fromInstanceArn);
  }

  /**
   * Applies the reports one instance's agent sent in one channel message, each as {@link
   * #submitTaskStateChange(ObjectNode, RequestContext, String)} applies one, but those of one
   * cluster in one command of its writer, so a batch costs the writer and the store one turn;
   * returns one future a report, in order. A report that is refused changes nothing and does not
   * hold back the others.
   */
  List<CompletableFuture<JsonNode>> submitTaskStateChanges(
      List<ObjectNode> inputs, RequestContext context, String fromInstanceArn) {
    List<CompletableFuture<JsonNode>> results = new ArrayList<>(inputs.size());
    Map<ClusterState, List<Pending>> byCluster = new LinkedHashMap<>();
    for (ObjectNode input : inputs) {
      CompletableFuture<JsonNode> result = new CompletableFuture<>();
      results.add(result);
      try {
        ClusterState holder = existingCluster(context, input);
        byCluster
            .computeIfAbsent(holder, key -> new ArrayList<>())
            .add(new Pending(taskArn(context, holder, input), taskReport(input), result));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
    byCluster.forEach((holder, pending) -> applyAll(holder, pending, fromInstanceArn));
    return results;
  }

  /** A report waiting for its cluster's command, and the future of its answer. */
  private record Pending(
      String taskArn, TaskTransitions.TaskReport report, CompletableFuture<JsonNode> result) {}

  private void applyAll(ClusterState holder, List<Pending> pending, String fromInstanceArn) {
    ObjectNode acknowledged = Json.object().put("acknowledgment", "ACK");
    holder
        .submit(
            current -> {
              ClusterChanges changes = new ClusterChanges(holder);
              long now = clock.millis();
              List<AwsException> refusals = new ArrayList<>(pending.size());
              for (Pending report : pending) {
                try {
                  applyTo(changes, report.taskArn(), report.report(), fromInstanceArn, now);
                  refusals.add(null);
                } catch (AwsException e) {
                  refusals.add(e);
                }
              }
              return new CommandResult<>(changes.records(), refusals);
            })
        .whenComplete(
            (refusals, failure) -> {
              for (int i = 0; i < pending.size(); i++) {
                CompletableFuture<JsonNode> result = pending.get(i).result();
                if (failure != null) {
                  result.completeExceptionally(failure);
                } else if (refusals.get(i) != null) {
                  result.completeExceptionally(refusals.get(i));
                } else {
                  result.complete(acknowledged);
                }
              }
            });
  }

  private static TaskTransitions.TaskReport taskReport(ObjectNode input) {
    List<TaskTransitions.ContainerReport> containers = new ArrayList<>();
    for (JsonNode container : input.path("containers")) {
      containers.add(containerReport(container, Json.text(container, "containerName")));
    }
    return new TaskTransitions.TaskReport(
        status(Json.text(input, "status")),
        millis(input.get("pullStartedAt")),
        millis(input.get("pullStoppedAt")),
        millis(input.get("executionStoppedAt")),
        Json.text(input, "reason"),
        containers);
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
    return apply(input, context, report, reportingInstance(context));
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
    ClusterState holder = existingCluster(context, input);
    String arn = taskArn(context, holder, input);
    ObjectNode acknowledged = Json.object().put("acknowledgment", "ACK");
    return holder.submit(
        current -> {
          ClusterChanges changes = new ClusterChanges(holder);
          applyTo(changes, arn, report, fromInstanceArn, clock.millis());
          return new CommandResult<>(changes.records(), (JsonNode) acknowledged);
        });
  }

  private ClusterState existingCluster(RequestContext context, ObjectNode input) {
    ClusterState holder = resources.existingCluster(context, Json.text(input, "cluster"));
    if (holder == null) {
      throw EcsErrors.clusterNotFound();
    }
    return holder;
  }

  private static String taskArn(RequestContext context, ClusterState holder, ObjectNode input) {
    return EcsResources.taskArn(context, holder.name(), Json.text(input, "task"));
  }

  /**
   * Applies a report of the task with that ARN (null if the input named none there) to the
   * command's changes; with an instance ARN, only of a task placed on that instance. Throws, having
   * changed nothing, if the task is not found or has no container the report names.
   */
  private static void applyTo(
      ClusterChanges changes,
      String arn,
      TaskTransitions.TaskReport report,
      String fromInstanceArn,
      long now) {
    Task task = arn == null ? null : changes.task(arn);
    if (task == null) {
      throw TaskOperations.taskNotFound();
    }
    if (fromInstanceArn != null && !fromInstanceArn.equals(task.containerInstanceArn())) {
      // An agent reports its own instance's tasks only, as ECS's instance role allows.
      throw Authority.accessDenied(
          "The container instance " + fromInstanceArn + " may not report task " + arn + ".");
    }
    for (TaskTransitions.ContainerReport container : report.containers()) {
      if (task.container(container.name()) == null) {
        throw EcsErrors.invalidParameter(
            "The task has no container named " + container.name() + ".");
      }
    }
    Task changed = TaskTransitions.reported(task, report, now);
    if (changed != task) {
      changes.put(changed);
    }
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
