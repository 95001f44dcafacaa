package dev.berth.server.agent;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * One task of an instance's task set as the channel sees it: the task's ARN, the ARN of its task
 * definition (which the channel sends with it only when the agent does not have it yet), what
 * decides whether the agent must hear of it again (its desired status and whether it is
 * DEACTIVATING), and the task in ECS's {@code Task} shape, serialized as UTF-8 JSON when asked: a
 * session sends few of the entries it looks at, so most are never serialized.
 */
public record TaskSetEntry(
    String taskArn,
    String taskDefinitionArn,
    String desiredStatus,
    boolean deactivating,
    Supplier<byte[]> task) {
  /** Creates an entry; {@code task} answers bytes that are never changed. */
  public TaskSetEntry {
    requireNonNull(taskArn);
    requireNonNull(taskDefinitionArn);
    requireNonNull(desiredStatus);
    requireNonNull(task);
  }
}
