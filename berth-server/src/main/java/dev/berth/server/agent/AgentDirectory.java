package dev.berth.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What the agent channel needs from the state: instances, their task sets and their health. */
public interface AgentDirectory {
  /** Returns true if the instance is registered (ACTIVE or DRAINING) in that region and cluster. */
  boolean isRegistered(
      String region, String accountId, String cluster, String containerInstanceArn);

  /** Returns the instance's task set, in ARN order: its tasks that are not STOPPED. */
  List<TaskSetEntry> taskSet(String containerInstanceArn);

  /**
   * Returns a task definition in ECS's {@code TaskDefinition} shape, serialized as UTF-8 JSON, or
   * null if there is no such revision. The bytes are shared and must not be changed.
   */
  byte[] taskDefinition(String taskDefinitionArn);

  /** Records whether the instance's agent is connected. */
  void setAgentConnected(String containerInstanceArn, boolean connected);

  /** Registers a listener told the ARN of every instance whose task set changed; must be cheap. */
  void onTaskSetChanged(Consumer<String> listener);

  /**
   * Applies the task state changes, each in ECS's SubmitTaskStateChange request shape, that the
   * instance's agent reported in one message over its channel; returns one future a change, in
   * order, which holds the operation's answer once the change is durable, or fails with an
   * AwsException if it is refused (the task is not on that instance, the input is not valid). A
   * change refused does not hold back the others.
   */
  List<CompletableFuture<JsonNode>> submitStateChanges(
      String containerInstanceArn, List<JsonNode> changes);

  /** Applies one task state change as {@link #submitStateChanges} applies each. */
  default CompletableFuture<JsonNode> submitStateChange(
      String containerInstanceArn, JsonNode change) {
    return submitStateChanges(containerInstanceArn, List.of(change)).get(0);
  }

  /** Records the health of a task's containers as the agent reported it. */
  CompletableFuture<Void> reportHealth(
      String containerInstanceArn, String taskArn, Map<String, String> healthByContainer);
}
