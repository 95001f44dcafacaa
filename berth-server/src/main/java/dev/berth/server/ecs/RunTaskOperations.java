package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.scheduler.Placement;
import dev.berth.server.scheduler.PlacementConstraint;
import dev.berth.server.scheduler.PlacementIndex;
import dev.berth.server.scheduler.PlacementRequest;
import dev.berth.server.scheduler.PlacementStrategy;
import dev.berth.server.scheduler.TaskPlacement;
import dev.berth.server.statemachine.CommandResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The ECS operations that start tasks: RunTask, which lets placement choose the container
 * instances, and StartTask, which names them. Both place and reserve in one command of the
 * cluster's writer, so concurrent calls never overbook an instance. Tasks start PROVISIONING with
 * desired status RUNNING; their agents report the rest.
 */
final class RunTaskOperations {
  private static final int MAX_TASKS = 10;
  private static final Pattern STARTED_BY = Pattern.compile("[a-zA-Z0-9_/-]{1,128}");
  private static final String CLUSTER_TAG = "aws:ecs:clusterName";

  private final EcsResources resources;
  private final Clock clock;
  private final TaskPlacement placement;
  private final TaskRenderings rendered;
  private final TaskBlueprint.Cache blueprints = new TaskBlueprint.Cache();
  private final ClusterPlacement clusters;

  RunTaskOperations(
      EcsResources resources,
      Clock clock,
      TaskPlacement placement,
      ClusterPlacement clusters,
      TaskRenderings rendered) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
    this.placement = requireNonNull(placement);
    this.clusters = requireNonNull(clusters);
    this.rendered = requireNonNull(rendered);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put("RunTask", this::runTask);
    operations.put("StartTask", this::startTask);
  }

  /**
   * Places up to {@code count} tasks on the cluster's ACTIVE instances with a connected agent and
   * room for them; the tasks that do not fit come back as failures naming each instance refused and
   * why.
   */
  CompletableFuture<JsonNode> runTask(ObjectNode input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, Json.text(input, "cluster"));
    String launchType = ServiceRules.launchType(input);
    int count = input.has("count") ? input.get("count").intValue() : 1;
    if (count < 1 || count > MAX_TASKS) {
      throw EcsErrors.invalidParameter("count must be between 1 and " + MAX_TASKS + ".");
    }
    TaskBlueprint blueprint = blueprint(context, input);
    TaskBlueprint.Options options =
        options(input, blueprint.definition(), holder.name(), launchType);
    PlacementRequest request = placementRequest(input, blueprint, options, count);
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          PlacementIndex index = clusters.index(holder);
          if (index.activeCount() == 0) {
            throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
          }
          Placement placed = placement.place(request, index);
          ClusterChanges changes = new ClusterChanges(holder);
          ObjectNode response = Json.object();
          ArrayNode tasks = response.putArray("tasks");
          long now = clock.millis();
          for (String instanceArn : placed.chosen()) {
            Task task = blueprint.instantiate(holder.instances().get(instanceArn), options, now);
            changes.put(task);
            tasks.add(rendered.node(task));
          }
          ArrayNode failures = response.putArray("failures");
          for (Placement.Failure failure : placed.failures()) {
            failures.addObject().put("arn", failure.arn()).put("reason", failure.reason());
          }
          return new CommandResult<>(changes.records(), (JsonNode) response);
        });
  }

  /**
   * Starts one task on each instance named (up to ten); an instance that is unknown, deregistered,
   * draining, without a connected agent or without room comes back as a failure.
   */
  CompletableFuture<JsonNode> startTask(ObjectNode input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, Json.text(input, "cluster"));
    List<String> identifiers = new ArrayList<>();
    input.path("containerInstances").forEach(node -> identifiers.add(node.asText()));
    if (identifiers.isEmpty() || identifiers.size() > MAX_TASKS) {
      throw EcsErrors.invalidParameter(
          "containerInstances must name between 1 and " + MAX_TASKS + " container instances.");
    }
    TaskBlueprint blueprint = blueprint(context, input);
    TaskBlueprint.Options options = options(input, blueprint.definition(), holder.name(), "EC2");
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          ClusterChanges changes = new ClusterChanges(holder);
          Map<String, Resources> placedHere = new HashMap<>();
          ObjectNode response = Json.object();
          ArrayNode tasks = response.putArray("tasks");
          ArrayNode failures = response.putArray("failures");
          long now = clock.millis();
          for (String identifier : identifiers) {
            String arn = EcsResources.containerInstanceArn(context, holder.name(), identifier);
            ContainerInstance instance = arn == null ? null : holder.instances().get(arn);
            String refusal =
                ClusterPlacement.refusal(holder, instance, blueprint.demand(), placedHere);
            if (refusal != null) {
              failures
                  .addObject()
                  .put("arn", arn == null ? identifier : arn)
                  .put("reason", refusal);
              continue;
            }
            placedHere.merge(instance.arn(), blueprint.demand(), Resources::plus);
            Task task = blueprint.instantiate(instance, options, now);
            changes.put(task);
            tasks.add(rendered.node(task));
          }
          return new CommandResult<>(changes.records(), (JsonNode) response);
        });
  }

  /**
   * Returns what placement is asked for: the task definition's constraints and the request's
   * together (at most ten), the request's strategies (at most five; RunTask's default if none) and
   * the attributes the task definition requires.
   */
  private static PlacementRequest placementRequest(
      ObjectNode input, TaskBlueprint blueprint, TaskBlueprint.Options options, int count) {
    List<PlacementConstraint> constraints = new ArrayList<>(blueprint.constraints());
    constraints.addAll(PlacementConstraint.fromJson(input.get("placementConstraints")));
    if (constraints.size() > PlacementConstraint.MAX) {
      throw EcsErrors.invalidParameter(
          "The number of placement constraints must not exceed " + PlacementConstraint.MAX + ".");
    }
    List<PlacementStrategy> strategies =
        PlacementStrategy.fromJson(input.get("placementStrategy"), List.of());
    return new PlacementRequest(
        blueprint.demand(),
        count,
        options.group(),
        constraints,
        strategies,
        blueprint.requiredAttributes());
  }

  private TaskBlueprint blueprint(RequestContext context, ObjectNode input) {
    TaskDefinition definition =
        resources.taskDefinition(context, Json.text(input, "taskDefinition"));
    if (!TaskDefinition.ACTIVE.equals(definition.status())) {
      throw EcsErrors.client("TaskDefinition is inactive");
    }
    ServiceRules.networkConfiguration(input.get("networkConfiguration"), definition);
    return blueprints.of(definition, input.get("overrides"));
  }

  /** Returns how the tasks are started: startedBy, group and tags checked, tags propagated. */
  private static TaskBlueprint.Options options(
      ObjectNode input, TaskDefinition definition, String clusterName, String launchType) {
    String startedBy = Json.text(input, "startedBy");
    if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
      throw EcsErrors.invalidParameter(
          "startedBy may hold up to 128 letters, numbers, hyphens, forward slashes and"
              + " underscores.");
    }
    String group = Json.text(input, "group");
    if (group == null) {
      group = "family:" + definition.family();
    } else if (group.isEmpty() || group.length() > 255) {
      throw EcsErrors.invalidParameter("group must be 1 to 255 characters long.");
    }
    List<Tag> tags = TagRules.checkNew(Tag.fromJson(input.get("tags")));
    String propagate = Json.text(input, "propagateTags");
    if ("SERVICE".equals(propagate)) {
      throw EcsErrors.invalidParameter(
          "The propagateTags value SERVICE is only valid for tasks a service starts.");
    }
    if ("TASK_DEFINITION".equals(propagate)) {
      tags = Tag.merge(definition.tags(), tags);
    }
    TagRules.checkTotal(tags);
    if (input.path("enableECSManagedTags").asBoolean(false)) {
      tags = Tag.merge(tags, List.of(new Tag(CLUSTER_TAG, clusterName)));
    }
    return new TaskBlueprint.Options(
        launchType, startedBy, group, tags, input.path("enableExecuteCommand").asBoolean(false));
  }
}
