package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS's rules for one container definition of a task definition, checked against the rest of the
 * task, and the defaults ECS fills in the container definition it returns.
 */
final class ContainerDefinitionRules {
  /** The least memory, in MiB, Docker lets a container have as a limit or a reservation. */
  static final int MIN_MEMORY_MIB = 6;

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern IMAGE =
      Pattern.compile("[a-zA-Z0-9_.:/#-]{1,255}(@sha256:[a-fA-F0-9]{64})?");
  private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");

  private final String networkMode;
  private final Set<String> containerNames;
  private final Set<String> volumeNames;
  private final boolean taskMemorySet;

  /**
   * Creates the rules for the containers of a task with the given network mode, names and memory.
   */
  ContainerDefinitionRules(
      String networkMode,
      Set<String> containerNames,
      Set<String> volumeNames,
      boolean taskMemorySet) {
    this.networkMode = requireNonNull(networkMode);
    this.containerNames = Set.copyOf(containerNames);
    this.volumeNames = Set.copyOf(volumeNames);
    this.taskMemorySet = taskMemorySet;
  }

  /**
   * Checks the members every other rule refers to, the name and the image, and returns the name.
   */
  static String checkIdentity(JsonNode container) {
    String name = Json.text(container, "name");
    if (name == null || name.isBlank()) {
      throw EcsErrors.client("Container.name should not be null or empty.");
    }
    if (!NAME.matcher(name).matches()) {
      throw EcsErrors.client("Container.name contains invalid characters.");
    }
    String image = Json.text(container, "image");
    if (image == null || image.isBlank()) {
      throw EcsErrors.client("Container.image should not be null or empty.");
    }
    if (!IMAGE.matcher(image).matches()) {
      throw EcsErrors.client("Container.image contains invalid characters.");
    }
    return name;
  }

  /** Returns a checked copy of the container definition with ECS's defaults filled in. */
  ObjectNode normalize(JsonNode container) {
    String name = checkIdentity(container);
    ObjectNode out = container.deepCopy();
    checkMemory(out, name);
    if (intOr(out, "cpu", 0) < 0) {
      throw invalidSetting("cpu", name);
    }
    if (intOr(out, "stopTimeout", 0) < 0) {
      throw invalidSetting("stopTimeout", name);
    }
    if (intOr(out, "startTimeout", 0) < 0) {
      throw invalidSetting("startTimeout", name);
    }
    for (JsonNode variable : out.path("environment")) {
      String variableName = Json.text(variable, "name");
      if (variableName == null || variableName.isBlank()) {
        throw EcsErrors.client(
            "Invalid 'environment' setting for container '"
                + name
                + "'. Environment variable names should not be null or empty.");
      }
    }
    if (out.has("portMappings")) {
      out.set("portMappings", portMappings(out.get("portMappings"), name));
    }
    checkReferences(out, name);
    if (out.has("healthCheck")) {
      out.set("healthCheck", healthCheck(out.get("healthCheck"), name));
    }
    for (JsonNode ulimit : out.path("ulimits")) {
      if (ulimit.path("softLimit").intValue() > ulimit.path("hardLimit").intValue()) {
        throw EcsErrors.client(
            "Invalid 'ulimits' setting for container '"
                + name
                + "'. The 'softLimit' of ulimit '"
                + Json.text(ulimit, "name")
                + "' cannot be greater than its 'hardLimit'.");
      }
    }
    // ECS returns these members even when the request left them out.
    putIfAbsent(out, "cpu", IntNode.valueOf(0));
    putIfAbsent(out, "portMappings", Json.array());
    putIfAbsent(out, "essential", BooleanNode.TRUE);
    putIfAbsent(out, "environment", Json.array());
    putIfAbsent(out, "mountPoints", Json.array());
    putIfAbsent(out, "volumesFrom", Json.array());
    return out;
  }

  private void checkMemory(JsonNode container, String name) {
    Integer memory = intOrNull(container, "memory");
    Integer reservation = intOrNull(container, "memoryReservation");
    if (!taskMemorySet && memory == null && reservation == null) {
      throw EcsErrors.client(
          "Invalid setting for container '"
              + name
              + "'. At least one of 'memory' or 'memoryReservation' must be specified.");
    }
    if (memory != null && memory < MIN_MEMORY_MIB) {
      throw tooLittleMemory("memory", name);
    }
    if (reservation != null && reservation < MIN_MEMORY_MIB) {
      throw tooLittleMemory("memoryReservation", name);
    }
    if (memory != null && reservation != null && reservation > memory) {
      throw EcsErrors.client(
          "Invalid setting for container '"
              + name
              + "'. 'memoryReservation' must be less than or equal to 'memory'.");
    }
  }

  private ArrayNode portMappings(JsonNode mappings, String name) {
    if (!mappings.isEmpty() && networkMode.equals("none")) {
      throw EcsErrors.client("Port mappings are not supported when networkMode=none.");
    }
    boolean sharesHostPorts = networkMode.equals("host") || networkMode.equals("awsvpc");
    ArrayNode out = Json.array();
    for (JsonNode mapping : mappings) {
      ObjectNode copy = mapping.deepCopy();
      Integer hostPort = intOrNull(copy, "hostPort");
      if (hostPort != null && (hostPort < 0 || hostPort > 65535)) {
        throw invalidSetting("hostPort", name);
      }
      if (copy.has("containerPortRange")) {
        checkPortRange(copy, name);
      } else {
        Integer containerPort = intOrNull(copy, "containerPort");
        if (containerPort == null || containerPort < 1 || containerPort > 65535) {
          throw invalidSetting("containerPort", name);
        }
        if (sharesHostPorts) {
          // ECS takes an absent or zero host port to mean the container port in these modes.
          if (hostPort == null || hostPort == 0) {
            copy.put("hostPort", containerPort);
          } else if (!hostPort.equals(containerPort)) {
            throw EcsErrors.client(
                "When networkMode="
                    + networkMode
                    + ", the host ports and container ports in port mappings must match.");
          }
        }
      }
      putIfAbsent(copy, "protocol", TextNode.valueOf("tcp"));
      out.add(copy);
    }
    return out;
  }

  private void checkPortRange(JsonNode mapping, String name) {
    Matcher range = PORT_RANGE.matcher(mapping.get("containerPortRange").asText());
    boolean valid =
        range.matches()
            && !mapping.has("containerPort")
            && !mapping.has("hostPort")
            && (networkMode.equals("bridge") || networkMode.equals("awsvpc"));
    if (valid) {
      int first = Integer.parseInt(range.group(1));
      int last = Integer.parseInt(range.group(2));
      valid = first >= 1 && first < last && last <= 65535;
    }
    if (!valid) {
      throw invalidSetting("containerPortRange", name);
    }
  }

  private void checkReferences(JsonNode container, String name) {
    JsonNode links = container.path("links");
    if (!links.isEmpty() && !networkMode.equals("bridge")) {
      throw EcsErrors.client("Links are not supported when networkMode=" + networkMode + ".");
    }
    for (JsonNode link : links) {
      String target = linkTarget(link.asText());
      if (!containerNames.contains(target)) {
        throw EcsErrors.client("Invalid 'links' setting. Unknown container: '" + target + "'.");
      }
    }
    for (JsonNode dependency : container.path("dependsOn")) {
      String target = Json.text(dependency, "containerName");
      if (!containerNames.contains(target)) {
        // ECS's own message, with its stray " + ".
        throw EcsErrors.client(
            "Cannot depend on container + '" + target + "' because it does not exist");
      }
    }
    for (JsonNode source : container.path("volumesFrom")) {
      String target = Json.text(source, "sourceContainer");
      if (target == null || !containerNames.contains(target)) {
        throw EcsErrors.client(
            "Invalid 'volumesFrom' setting. Unknown container: '" + target + "'.");
      }
    }
    for (JsonNode mountPoint : container.path("mountPoints")) {
      String volume = Json.text(mountPoint, "sourceVolume");
      if (volume == null || !volumeNames.contains(volume)) {
        throw EcsErrors.client("Unknown volume '" + volume + "'.");
      }
      String path = Json.text(mountPoint, "containerPath");
      if (path == null || path.isBlank()) {
        throw EcsErrors.client(
            "Invalid 'mountPoints' setting for container '"
                + name
                + "'. 'containerPath' should not be null or empty.");
      }
    }
  }

  /** Returns the container a link names: a link is "name" or "name:alias". */
  static String linkTarget(String link) {
    int colon = link.indexOf(':');
    return colon < 0 ? link : link.substring(0, colon);
  }

  private static ObjectNode healthCheck(JsonNode healthCheck, String name) {
    if (healthCheck.path("command").isEmpty()) {
      throw EcsErrors.client(
          "Health check command should not be null or empty for container '" + name + "'");
    }
    ObjectNode out = healthCheck.deepCopy();
    checkHealthCheckRange(out, "interval", 5, 300, name);
    checkHealthCheckRange(out, "timeout", 2, 60, name);
    checkHealthCheckRange(out, "retries", 1, 10, name);
    checkHealthCheckRange(out, "startPeriod", 0, 300, name);
    putIfAbsent(out, "interval", IntNode.valueOf(30));
    putIfAbsent(out, "timeout", IntNode.valueOf(5));
    putIfAbsent(out, "retries", IntNode.valueOf(3));
    return out;
  }

  private static void checkHealthCheckRange(
      JsonNode healthCheck, String member, int min, int max, String name) {
    Integer value = intOrNull(healthCheck, member);
    if (value != null && value < min) {
      throw EcsErrors.client(
          "Health check "
              + member
              + " must be greater than or equal to the minimum allowed value "
              + min
              + " for container '"
              + name
              + "'");
    }
    if (value != null && value > max) {
      throw EcsErrors.client(
          "Health check "
              + member
              + " must be less than or equal to the maximum allowed value "
              + max
              + " for container '"
              + name
              + "'");
    }
  }

  private static AwsException invalidSetting(String member, String name) {
    return EcsErrors.client("Invalid '" + member + "' setting for container '" + name + "'.");
  }

  private static AwsException tooLittleMemory(String member, String name) {
    return EcsErrors.client(
        "Invalid '"
            + member
            + "' setting for container '"
            + name
            + "'. The minimum is "
            + MIN_MEMORY_MIB
            + " MiB.");
  }

  /** Returns an integer member, or null when it is absent. */
  static Integer intOrNull(JsonNode node, String member) {
    JsonNode value = node.get(member);
    return value == null || value.isNull() ? null : value.intValue();
  }

  private static int intOr(JsonNode node, String member, int absent) {
    Integer value = intOrNull(node, member);
    return value == null ? absent : value;
  }

  private static void putIfAbsent(ObjectNode node, String member, JsonNode value) {
    if (!node.has(member)) {
      node.set(member, value);
    }
  }
}
