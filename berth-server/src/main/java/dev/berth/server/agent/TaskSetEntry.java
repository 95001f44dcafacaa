package dev.berth.server.agent;

import static java.util.Objects.requireNonNull;

/**
 * One task of an instance's task set as the channel sends it: the task in ECS's {@code Task} shape,
 * already serialized as UTF-8 JSON, and the ARN of its task definition, which the channel sends
 * with it only when the agent does not have it yet. The bytes are shared and never changed.
 */
public record TaskSetEntry(String taskDefinitionArn, byte[] task) {
  /** Creates an entry; nothing is copied. */
  public TaskSetEntry {
    requireNonNull(taskDefinitionArn);
    requireNonNull(task);
  }
}
