package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.request.DescribeTasksRequest;
import dev.berth.server.ecs.request.ListTasksRequest;
import dev.berth.server.ecs.request.StopTaskRequest;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskUpdate;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The ECS operations on existing tasks: StopTask, DescribeTasks and ListTasks. */
final class TaskOperations {
  private static final int MAX_DESCRIBE = 100;
  private static final int MAX_REASON = 255;
  private static final String DEFAULT_STOP_REASON = "Task stopped by user";

  private final EcsResources resources;
  private final Clock clock;

  TaskOperations(EcsResources resources, Clock clock) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put("StopTask", EcsOperation.typed(StopTaskRequest.class, this::stopTask));
    operations.put(
        "DescribeTasks", EcsOperation.typed(DescribeTasksRequest.class, this::describeTasks));
    operations.put("ListTasks", EcsOperation.typed(ListTasksRequest.class, this::listTasks));
  }

  /**
   * Asks a task to stop: desired status STOPPED, stop code UserInitiated, stoppingAt now; its agent
   * stops it and reports STOPPED. A RUNNING task of a service with load balancers is DEACTIVATING
   * first, until the service scheduler has drained it. Stopping a task that is already to stop
   * answers it unchanged.
   */
  CompletableFuture<JsonNode> stopTask(StopTaskRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String reason = input.reason();
    if (reason != null && reason.length() > MAX_REASON) {
      throw EcsErrors.invalidParameter(
          "The reason for stopping a task can be at most " + MAX_REASON + " characters long.");
    }
    String arn = EcsResources.taskArn(context, holder.name(), input.task());
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          Task task = arn == null ? null : holder.tasks().get(arn);
          if (task == null) {
            throw taskNotFound();
          }
          String why = reason == null ? DEFAULT_STOP_REASON : reason;
          // A service task behind a load balancer is drained first, as in ECS.
          Task stopped =
              TaskStops.drainsFirst(holder, task)
                  ? TaskTransitions.deactivating(task, "UserInitiated", why, clock.millis())
                  : TaskTransitions.stopRequested(task, "UserInitiated", why, clock.millis());
          ObjectNode response = Json.object();
          response.set("task", TaskJson.toJson(stopped, true));
          if (stopped == task) {
            return CommandResult.of((JsonNode) response);
          }
          return CommandResult.of(new TaskUpdate(stopped), (JsonNode) response);
        });
  }

  /** Describes tasks by id or ARN; unknown ones come back as failures with reason MISSING. */
  CompletableFuture<JsonNode> describeTasks(DescribeTasksRequest input, RequestContext context) {
    ClusterState holder = existingCluster(context, input.cluster());
    List<String> identifiers = input.tasks() == null ? List.of() : input.tasks();
    if (identifiers.isEmpty() || identifiers.size() > MAX_DESCRIBE) {
      throw EcsErrors.invalidParameter("tasks must name between 1 and " + MAX_DESCRIBE + " tasks.");
    }
    boolean tags = input.includes("TAGS");
    ObjectNode response = Json.object();
    ArrayNode tasks = response.putArray("tasks");
    ArrayNode failures = response.putArray("failures");
    for (String identifier : identifiers) {
      String arn = EcsResources.taskArn(context, holder.name(), identifier);
      Task task = arn == null ? null : holder.tasks().get(arn);
      if (task == null) {
        failures.addObject().put("arn", arn == null ? identifier : arn).put("reason", "MISSING");
      } else {
        tasks.add(TaskJson.toJson(task, tags));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  /**
   * Lists task ARNs in ARN order, filtered by container instance, family, startedBy, launch type
   * service (its task group {@code service:NAME}) and desired status (RUNNING unless asked; no task
   * is ever desired PENDING), paged. Daemons (ECS's newer daemon resources) match no task.
   */
  CompletableFuture<JsonNode> listTasks(ListTasksRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    List<Predicate<Task>> filters = new ArrayList<>();
    String desired = input.desiredStatus() != null ? input.desiredStatus() : "RUNNING";
    filters.add(task -> task.desiredStatus().equals(desired));
    String instance = input.containerInstance();
    if (instance != null) {
      String instanceArn = EcsResources.containerInstanceArn(context, holder.name(), instance);
      filters.add(task -> task.containerInstanceArn().equals(instanceArn));
    }
    String family = input.family();
    if (family != null) {
      filters.add(task -> family.equals(familyOf(task)));
    }
    String startedBy = input.startedBy();
    if (startedBy != null) {
      filters.add(task -> startedBy.equals(task.spec().startedBy()));
    }
    String launchType = input.launchType();
    if (launchType != null) {
      filters.add(task -> launchType.equals(task.spec().launchType()));
    }
    String serviceName = input.serviceName();
    if (serviceName != null) {
      String group = Service.groupOf(serviceName);
      filters.add(task -> group.equals(task.spec().group()));
    }
    if (input.daemonName() != null) {
      filters.add(task -> false);
    }
    Predicate<Task> matches = filters.stream().reduce(task -> true, Predicate::and);
    TokenPaging.Page<Task> page =
        Paging.page(
            "ListTasks",
            holder.tasks()::after,
            Task::arn,
            matches,
            input.maxResults(),
            input.nextToken(),
            100);
    ObjectNode response = Json.object();
    ArrayNode arns = response.putArray("taskArns");
    page.items().forEach(task -> arns.add(task.arn()));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Returns the holder of an existing cluster, or throws ClusterNotFoundException. */
  private ClusterState existingCluster(RequestContext context, String identifier) {
    ClusterState holder = resources.existingCluster(context, identifier);
    if (holder == null) {
      throw EcsErrors.clusterNotFound();
    }
    return holder;
  }

  private static String familyOf(Task task) {
    String revision = Arn.parse(task.spec().taskDefinitionArn()).resourceId();
    return revision.substring(0, revision.lastIndexOf(':'));
  }

  /** Returns true if a checked request body's {@code include} list names the field given. */
  static boolean includes(ObjectNode input, String field) {
    for (JsonNode include : input.path("include")) {
      if (field.equals(include.asText())) {
        return true;
      }
    }
    return false;
  }

  /** Returns ECS's error for a task that is not in the cluster. */
  static RuntimeException taskNotFound() {
    return EcsErrors.invalidParameter("The referenced task was not found.");
  }
}
