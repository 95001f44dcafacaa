package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** ECS's {@code TaskOverride}: what a RunTask or StartTask changes of the task definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskOverride(
    List<ContainerOverride> containerOverrides,
    String cpu,
    List<InferenceAcceleratorOverride> inferenceAcceleratorOverrides,
    String executionRoleArn,
    String memory,
    String taskRoleArn,
    EphemeralStorage ephemeralStorage) {
  /** Creates the shape; lists are copied, an absent one stays absent. */
  public TaskOverride {
    containerOverrides = containerOverrides == null ? null : List.copyOf(containerOverrides);
    inferenceAcceleratorOverrides =
        inferenceAcceleratorOverrides == null ? null : List.copyOf(inferenceAcceleratorOverrides);
  }
}
