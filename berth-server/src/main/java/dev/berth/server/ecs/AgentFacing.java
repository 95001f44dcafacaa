package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.agent.AgentDirectory;
import dev.berth.server.agent.TaskSetEntry;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the agent channel needs from the ECS state, by container instance ARN (which names the
 * region, account and cluster): whether an instance is registered, the task set its agent must run,
 * the agent's connection, notice of task set changes, and container health.
 */
public final class AgentFacing implements AgentDirectory {
  private final EcsState state;
  private final TaskStateChangeOperations reports;
  private final Function<JsonNode, ObjectNode> validateStateChange;
  private final TaskRenderings rendered;

  /**
   * Creates the facade; {@code validateStateChange} checks a SubmitTaskStateChange input against
   * ECS's model as the API does.
   */
  AgentFacing(
      EcsState state,
      TaskStateChangeOperations reports,
      Function<JsonNode, ObjectNode> validateStateChange,
      TaskRenderings rendered) {
    this.state = requireNonNull(state);
    this.reports = requireNonNull(reports);
    this.validateStateChange = requireNonNull(validateStateChange);
    this.rendered = requireNonNull(rendered);
  }

  /**
   * Returns the state of the cluster a container instance ARN names ({@code
   * arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID}), or null if the ARN is not one or
   * the cluster was never created.
   */
  public ClusterState clusterOf(String containerInstanceArn) {
    Arn arn = Arn.parse(containerInstanceArn);
    String cluster = ContainerInstance.clusterNameOf(containerInstanceArn);
    if (arn == null || cluster == null || !"container-instance".equals(arn.resourceType())) {
      return null;
    }
    RegionState region = state.existingRegion(arn.region());
    return region == null ? null : region.existingCluster(cluster);
  }

  /**
   * Returns true if the instance is registered (ACTIVE or DRAINING) in the cluster, named or given
   * by ARN, of that region and account.
   */
  @Override
  public boolean isRegistered(
      String region, String accountId, String cluster, String containerInstanceArn) {
    RequestContext context = new RequestContext("agent-channel", region, accountId, "agent");
    String clusterName = EcsResources.clusterName(context, cluster);
    if (clusterName == null) {
      return false;
    }
    String arn = EcsResources.containerInstanceArn(context, clusterName, containerInstanceArn);
    ClusterState holder = arn == null ? null : clusterOf(arn);
    ContainerInstance instance = holder == null ? null : holder.instances().get(arn);
    return instance != null && instance.registered();
  }

  /**
   * Returns true if the ARN names an instance that was registered and is no longer (INACTIVE): its
   * keys stop working with it.
   */
  public boolean isDeregistered(String containerInstanceArn) {
    ClusterState holder = clusterOf(containerInstanceArn);
    ContainerInstance instance =
        holder == null ? null : holder.instances().get(containerInstanceArn);
    return instance != null && !instance.registered();
  }

  /**
   * Returns the tasks placed on the instance that are not STOPPED, in ARN order, each serialized
   * exactly as DescribeTasks shows it with its tags, when the channel asks (most are rendered
   * already, by the RunTask that placed them). Empty for an unknown instance.
   */
  @Override
  public List<TaskSetEntry> taskSet(String containerInstanceArn) {
    ClusterState holder = clusterOf(containerInstanceArn);
    if (holder == null) {
      return List.of();
    }
    List<Task> tasks = holder.tasks().activeOn(containerInstanceArn);
    List<TaskSetEntry> set = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      // Task records are immutable: the JSON made later is that of the task as it is now.
      set.add(
          new TaskSetEntry(
              task.arn(),
              task.spec().taskDefinitionArn(),
              task.desiredStatus(),
              task.deactivating(),
              () -> rendered.utf8(task)));
    }
    return set;
  }

  /**
   * Returns a task definition revision as DescribeTaskDefinition shows it, serialized, or null if
   * the ARN names no revision there is. Not kept: a channel session asks once for each.
   */
  @Override
  public byte[] taskDefinition(String taskDefinitionArn) {
    Arn arn = Arn.parse(taskDefinitionArn);
    RegionState region = arn == null ? null : state.existingRegion(arn.region());
    String revision = arn == null ? "" : arn.resourceId();
    int colon = revision.lastIndexOf(':');
    if (region == null || colon < 0) {
      return null;
    }
    TaskDefinition definition;
    try {
      definition =
          region
              .taskDefinitions()
              .revision(
                  revision.substring(0, colon), Integer.parseInt(revision.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
    return definition == null ? null : serialized(TaskDefinitionOperations.toJson(definition));
  }

  /**
   * Records whether the instance's agent is connected, as DescribeContainerInstances shows it and
   * RunTask places by it; not stored. Unknown instances are ignored.
   */
  @Override
  public void setAgentConnected(String containerInstanceArn, boolean connected) {
    ClusterState holder = clusterOf(containerInstanceArn);
    if (holder != null) {
      holder.setAgentConnected(containerInstanceArn, connected);
    }
  }

  /**
   * Registers a listener told the ARN of every instance whose task set changed (a task placed on
   * it, a task's desired status changed, a task stopped or was pruned). It is called on the cluster
   * writer's publishing of its batches once the change is durable and readers see it, possibly
   * several times for one request, so it must be cheap: coalesce and push later.
   */
  @Override
  public void onTaskSetChanged(Consumer<String> listener) {
    state.addTaskSetListener(listener);
  }

  /**
   * Applies SubmitTaskStateChange inputs the instance's agent sent in one message over its channel,
   * each validated as the operation validates it, in the instance's region and account, the valid
   * ones in one command of the cluster's writer; each is refused with InvalidParameterException if
   * its task is not placed on that instance.
   */
  @Override
  public List<CompletableFuture<JsonNode>> submitStateChanges(
      String containerInstanceArn, List<JsonNode> changes) {
    List<CompletableFuture<JsonNode>> results = new ArrayList<>(changes.size());
    if (clusterOf(containerInstanceArn) == null) {
      for (int i = 0; i < changes.size(); i++) {
        results.add(CompletableFuture.failedFuture(ContainerInstanceOperations.instanceNotFound()));
      }
      return results;
    }
    Arn arn = Arn.parse(containerInstanceArn);
    RequestContext context =
        new RequestContext("agent-channel", arn.region(), arn.account(), "agent");
    List<ObjectNode> valid = new ArrayList<>(changes.size());
    List<Integer> validAt = new ArrayList<>(changes.size());
    for (JsonNode change : changes) {
      try {
        valid.add(validateStateChange.apply(change));
        validAt.add(results.size());
        results.add(null);
      } catch (AwsException e) {
        results.add(CompletableFuture.failedFuture(e));
      }
    }
    List<CompletableFuture<JsonNode>> applied =
        reports.submitTaskStateChanges(valid, context, containerInstanceArn);
    for (int i = 0; i < applied.size(); i++) {
      results.set(validAt.get(i), applied.get(i));
    }
    return results;
  }

  /**
   * Records the health the instance's agent reported for a task's containers ({@code HEALTHY},
   * {@code UNHEALTHY} or {@code UNKNOWN} by container name) and the task's health derived from it:
   * UNHEALTHY if any essential container is, HEALTHY if every essential container with a health
   * check is, else UNKNOWN. Fails with InvalidParameterException if the task is not on that
   * instance; completes once the change is durable.
   */
  @Override
  public CompletableFuture<Void> reportHealth(
      String containerInstanceArn, String taskArn, Map<String, String> healthByContainer) {
    requireNonNull(taskArn);
    requireNonNull(healthByContainer);
    ClusterState holder = clusterOf(containerInstanceArn);
    if (holder == null) {
      return CompletableFuture.failedFuture(ContainerInstanceOperations.instanceNotFound());
    }
    return reports.reportHealth(holder, containerInstanceArn, taskArn, healthByContainer);
  }

  private static byte[] serialized(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
