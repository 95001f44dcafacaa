package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.request.RunTaskRequest;
import dev.berth.server.ecs.request.StartTaskRequest;
import dev.berth.server.ecs.request.TaskLaunchRequest;
import dev.berth.server.ecs.state.ClientToken;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
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
import dev.berth.server.statemachine.StateRecord;
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
    operations.put("RunTask", EcsOperation.typed(RunTaskRequest.class, this::runTask));
    operations.put("StartTask", EcsOperation.typed(StartTaskRequest.class, this::startTask));
  }

  /**
   * Places up to {@code count} tasks on the cluster's ACTIVE instances with a connected agent and
   * room for them; the tasks that do not fit come back as failures naming each instance refused and
   * why. With a clientToken, a retry of the same request within a day gets the same answer and
   * starts nothing; the token with other parameters is refused (ECS's idempotency).
   */
  CompletableFuture<JsonNode> runTask(RunTaskRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String launchType =
        ServiceRules.launchType(input.launchType(), input.capacityProviderStrategy());
    int count = input.count() != null ? input.count() : 1;
    if (count < 1 || count > MAX_TASKS) {
      throw EcsErrors.invalidParameter("count must be between 1 and " + MAX_TASKS + ".");
    }
    TaskBlueprint blueprint = blueprint(context, input);
    TaskBlueprint.Options options =
        options(input, blueprint.definition(), holder.name(), launchType);
    PlacementRequest request = placementRequest(input, blueprint, options, count);
    String token = ClientTokenRules.check(input.clientToken(), ClientTokenRules.MAX_RUN_TASK_TOKEN);
    String digest = token == null ? null : ClientTokenRules.digest(input);
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          String tokenKey = token == null ? null : ClientToken.keyOf(current.arn(), token);
          ClientToken kept = tokenKey == null ? null : holder.clientTokens().get(tokenKey);
          long now = clock.millis();
          if (kept != null && !kept.expired(now)) {
            // A retry: the first answer again, and nothing started (its tasks may be in flight to
            // the store still; the writer answers once what this command saw is durable).
            return CommandResult.of(ClientTokenRules.retry(kept, digest, holder));
          }
          PlacementIndex index = clusters.index(holder);
          if (index.activeCount() == 0) {
            throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
          }
          Placement placed = placement.place(request, index);
          ClusterChanges changes = new ClusterChanges(holder);
          ObjectNode response = Json.object();
          ArrayNode tasks = response.putArray("tasks");
          List<String> taskArns = new ArrayList<>();
          for (String instanceArn : placed.chosen()) {
            Task task = blueprint.instantiate(holder.instances().get(instanceArn), options, now);
            changes.put(task);
            taskArns.add(task.arn());
            tasks.add(rendered.node(task));
          }
          ArrayNode failures = response.putArray("failures");
          List<ClientToken.Failure> keptFailures = new ArrayList<>();
          for (Placement.Failure failure : placed.failures()) {
            failures.addObject().put("arn", failure.arn()).put("reason", failure.reason());
            keptFailures.add(new ClientToken.Failure(failure.arn(), failure.reason()));
          }
          List<StateRecord> records = changes.records();
          if (tokenKey != null) {
            // In the same command as the tasks: a crash keeps both or neither.
            records.add(
                EcsRecords.of(new ClientToken(tokenKey, digest, taskArns, keptFailures, now)));
          }
          return new CommandResult<>(records, (JsonNode) response);
        });
  }

  /**
   * Starts one task on each instance named (up to ten); an instance that is unknown, deregistered,
   * draining, without a connected agent or without room comes back as a failure.
   */
  CompletableFuture<JsonNode> startTask(StartTaskRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    List<String> identifiers =
        input.containerInstances() == null ? List.of() : input.containerInstances();
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
      RunTaskRequest input, TaskBlueprint blueprint, TaskBlueprint.Options options, int count) {
    List<PlacementConstraint> constraints = new ArrayList<>(blueprint.constraints());
    constraints.addAll(PlacementConstraint.fromShapes(input.placementConstraints()));
    if (constraints.size() > PlacementConstraint.MAX) {
      throw EcsErrors.invalidParameter(
          "The number of placement constraints must not exceed " + PlacementConstraint.MAX + ".");
    }
    List<PlacementStrategy> strategies =
        PlacementStrategy.fromShapes(input.placementStrategy(), List.of());
    return new PlacementRequest(
        blueprint.demand(),
        count,
        options.group(),
        constraints,
        strategies,
        blueprint.requiredAttributes());
  }

  private TaskBlueprint blueprint(RequestContext context, TaskLaunchRequest input) {
    TaskDefinition definition = resources.taskDefinition(context, input.taskDefinition());
    if (!TaskDefinition.ACTIVE.equals(definition.status())) {
      throw EcsErrors.client("TaskDefinition is inactive");
    }
    ServiceRules.networkConfiguration(input.networkConfiguration(), definition);
    // The blueprint reads, checks and shows the overrides as the JSON a task keeps them in.
    return blueprints.of(
        definition, input.overrides() == null ? null : Json.MAPPER.valueToTree(input.overrides()));
  }

  /** Returns how the tasks are started: startedBy, group and tags checked, tags propagated. */
  private static TaskBlueprint.Options options(
      TaskLaunchRequest input, TaskDefinition definition, String clusterName, String launchType) {
    String startedBy = input.startedBy();
    if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
      throw EcsErrors.invalidParameter(
          "startedBy may hold up to 128 letters, numbers, hyphens, forward slashes and"
              + " underscores.");
    }
    String group = input.group();
    if (group == null) {
      group = "family:" + definition.family();
    } else if (group.isEmpty() || group.length() > 255) {
      throw EcsErrors.invalidParameter("group must be 1 to 255 characters long.");
    }
    List<Tag> tags = TagRules.checkNew(input.tags() == null ? List.of() : input.tags());
    String propagate = input.propagateTags();
    if ("SERVICE".equals(propagate)) {
      throw EcsErrors.invalidParameter(
          "The propagateTags value SERVICE is only valid for tasks a service starts.");
    }
    if ("TASK_DEFINITION".equals(propagate)) {
      tags = Tag.merge(definition.tags(), tags);
    }
    TagRules.checkTotal(tags);
    if (Boolean.TRUE.equals(input.enableECSManagedTags())) {
      tags = Tag.merge(tags, List.of(new Tag(CLUSTER_TAG, clusterName)));
    }
    return new TaskBlueprint.Options(
        launchType, startedBy, group, tags, Boolean.TRUE.equals(input.enableExecuteCommand()));
  }
}
