package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** ECS's {@code ContainerOverride}: what a RunTask or StartTask changes of one container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerOverride(
    String name,
    List<String> command,
    List<KeyValuePair> environment,
    List<EnvironmentFile> environmentFiles,
    Integer cpu,
    Integer memory,
    Integer memoryReservation,
    List<ResourceRequirement> resourceRequirements) {
  /** Creates the shape; lists are copied, an absent one stays absent. */
  public ContainerOverride {
    command = command == null ? null : List.copyOf(command);
    environment = environment == null ? null : List.copyOf(environment);
    environmentFiles = environmentFiles == null ? null : List.copyOf(environmentFiles);
    resourceRequirements = resourceRequirements == null ? null : List.copyOf(resourceRequirements);
  }
}
