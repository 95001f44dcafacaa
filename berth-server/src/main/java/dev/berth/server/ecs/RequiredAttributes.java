package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.api.Json;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes a task definition's {@code requiresAttributes}: the container instance attributes an
 * instance must have to run it, named as the ECS agent names its capabilities. Placement refuses
 * instances without them (reason ATTRIBUTE).
 */
final class RequiredAttributes {
  private static final String DOCKER_API = "com.amazonaws.ecs.capability.docker-remote-api.";
  private static final String ECS_CAPABILITY = "ecs.capability.";

  private RequiredAttributes() {}

  /** Returns the attributes the task definition body requires, as ECS's Attribute list. */
  static ArrayNode of(JsonNode body) {
    Set<String> names = new TreeSet<>();
    // Task and execution roles are accepted and stored, but Berth hands no credentials to tasks:
    // requiring ECS's role capabilities would make such task definitions unplaceable instead.
    if (body.hasNonNull("networkMode")) {
      names.add(DOCKER_API + "1.18");
    }
    for (JsonNode container : body.path("containerDefinitions")) {
      if (container.has("memoryReservation")) {
        names.add(DOCKER_API + "1.21");
      }
      if (container.has("dockerLabels") || container.has("ulimits") || container.has("user")) {
        names.add(DOCKER_API + "1.18");
      }
      if (container.has("healthCheck")) {
        names.add(DOCKER_API + "1.24");
        names.add(ECS_CAPABILITY + "container-health-check");
      }
      if (container.has("dependsOn")) {
        names.add(ECS_CAPABILITY + "container-ordering");
      }
      if (container.has("repositoryCredentials")) {
        names.add(ECS_CAPABILITY + "private-registry-authentication.secretsmanager");
      }
      String logDriver = container.path("logConfiguration").path("logDriver").asText(null);
      if (logDriver != null) {
        names.add("com.amazonaws.ecs.capability.logging-driver." + logDriver);
        names.add(DOCKER_API + "1.18");
      }
    }
    ArrayNode attributes = Json.array();
    names.forEach(name -> attributes.addObject().put("name", name));
    return attributes;
  }
}
