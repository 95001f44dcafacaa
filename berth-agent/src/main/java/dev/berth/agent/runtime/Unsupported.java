package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.EcsJson.hasContent;
import static dev.berth.agent.runtime.EcsJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of ECS task and container definitions this host cannot honour, refused before anything
 * is created so a task fails with a reason instead of running differently from its definition.
 */
final class Unsupported {
  private record Field(String name, String reason) {}

  private static final List<Field> CONTAINER_FIELDS =
      List.of(
          new Field("secrets", "there is no Secrets Manager or Parameter Store on this host"),
          new Field("environmentFiles", "there is no S3 to read environment files from"),
          new Field("firelensConfiguration", "there is no FireLens on this host"),
          new Field("credentialSpecs", "there is no Active Directory (gMSA) on this host"),
          new Field("resourceRequirements", "GPUs and inference accelerators are not supported"));

  private static final List<Field> TASK_FIELDS =
      List.of(
          new Field("proxyConfiguration", "App Mesh proxy configuration is not supported"),
          new Field("inferenceAccelerators", "inference accelerators are not supported"),
          new Field("ephemeralStorage", "ephemeral storage size is a Fargate setting"));

  private Unsupported() {}

  /** Throws a {@code CannotCreateContainerError} failure for the first part that is refused. */
  static void check(JsonNode taskDefinition, JsonNode container, String containerName) {
    for (Field field : TASK_FIELDS) {
      if (hasContent(taskDefinition, field.name())) {
        throw refuse(containerName, "task definition " + field.name(), field.reason());
      }
    }
    String networkMode = text(taskDefinition, "networkMode");
    if (networkMode != null && !List.of("bridge", "host", "none").contains(networkMode)) {
      throw refuse(
          containerName,
          "networkMode " + networkMode,
          "only bridge, host and none are available on this host");
    }
    for (Field field : CONTAINER_FIELDS) {
      if (hasContent(container, field.name())) {
        throw refuse(containerName, field.name(), field.reason());
      }
    }
  }

  private static RuntimeFailure refuse(String containerName, String what, String reason) {
    return ContainerSpecs.refuse(containerName, what + " is not supported: " + reason);
  }
}
