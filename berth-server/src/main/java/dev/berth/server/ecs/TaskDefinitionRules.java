package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS's own rules for a RegisterTaskDefinition request, the ones its service model does not
 * express, and the defaults ECS fills: turns a request the model has cleaned into the task
 * definition body DescribeTaskDefinition returns, less the members the registry computes.
 *
 * <p>Berth runs tasks the way ECS runs them on EC2 and external instances, so the EC2 rules apply
 * and Fargate-only compatibilities are refused.
 */
final class TaskDefinitionRules {
  /** The most containers one task definition may hold. */
  static final int MAX_CONTAINERS = 10;

  /** The most placement constraints one task definition may hold. */
  static final int MAX_PLACEMENT_CONSTRAINTS = 10;

  /** The least task-level CPU, in CPU units, ECS takes for EC2 and external tasks. */
  static final int MIN_TASK_CPU = 128;

  /** The most task-level CPU, in CPU units (192 vCPUs), ECS takes for EC2 and external tasks. */
  static final int MAX_TASK_CPU = 196_608;

  private static final Pattern FAMILY = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern WHOLE = Pattern.compile("\\d{1,10}");
  private static final Pattern VCPUS = Pattern.compile("(\\d*\\.?\\d+)\\s*vcpu");
  private static final Pattern GIGABYTES = Pattern.compile("(\\d*\\.?\\d+)\\s*gb");
  private static final Set<String> COMPATIBILITIES = Set.of("EC2", "EXTERNAL");
  private static final BigDecimal UNITS_PER_WHOLE = BigDecimal.valueOf(1024);

  private TaskDefinitionRules() {}

  /** Returns the task definition body for a cleaned request, or throws ECS's ClientException. */
  static ObjectNode normalize(ObjectNode request) {
    requireNonNull(request);
    checkSize(request);
    checkFamily(Json.text(request, "family"));
    for (JsonNode compatibility : request.path("requiresCompatibilities")) {
      if (!COMPATIBILITIES.contains(compatibility.asText())) {
        throw EcsErrors.client(
            "Berth runs tasks on EC2 and EXTERNAL container instances only; requiresCompatibilities"
                + " value '"
                + compatibility.asText()
                + "' is not supported.");
      }
    }
    // ECS leaves networkMode out of the task definition when the request does; bridge applies.
    String networkMode = request.path("networkMode").asText("bridge");
    Integer taskCpu = request.has("cpu") ? taskCpu(request.get("cpu").asText()) : null;
    Integer taskMemory = request.has("memory") ? taskMemory(request.get("memory").asText()) : null;

    JsonNode containers = request.path("containerDefinitions");
    if (containers.isEmpty()) {
      throw EcsErrors.client("Container list cannot be empty.");
    }
    if (containers.size() > MAX_CONTAINERS) {
      throw EcsErrors.client("Too many containers.");
    }
    Set<String> containerNames = new HashSet<>();
    for (JsonNode container : containers) {
      if (!containerNames.add(ContainerDefinitionRules.checkIdentity(container))) {
        throw EcsErrors.client("Container names must be unique within a Task Definition.");
      }
    }
    Set<String> volumeNames = volumeNames(request.path("volumes"));
    checkPlacementConstraints(request.path("placementConstraints"));

    ContainerDefinitionRules rules =
        new ContainerDefinitionRules(networkMode, containerNames, volumeNames, taskMemory != null);
    ArrayNode normalized = Json.array();
    for (JsonNode container : containers) {
      normalized.add(rules.normalize(container));
    }
    checkContainerGraph(normalized);
    checkHostPorts(normalized);
    checkTaskResources(normalized, taskCpu, taskMemory);
    return body(request, normalized, taskCpu, taskMemory);
  }

  /** Checks ECS's task definition size quota: 64 KiB of the request's JSON, as ECS counts it. */
  static void checkSize(ObjectNode request) {
    int length = request.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > EcsLimits.MAX_TASK_DEFINITION_BYTES) {
      throw EcsErrors.client(
          "Actual length: '"
              + length
              + "'. Max allowed length is '"
              + EcsLimits.MAX_TASK_DEFINITION_BYTES
              + "' bytes.");
    }
  }

  /**
   * Returns the CPU units a task-level cpu value stands for: "1024", "1 vCPU" or "0.5 vcpu".
   *
   * @throws AwsException ECS's ClientException when the value is not one of those
   */
  static int cpuUnits(String cpu) {
    return parseUnits(cpu, VCPUS, "cpu");
  }

  /** Returns the MiB a task-level memory value stands for: "2048", "2 GB", "2GB" or "0.5 GB". */
  static int memoryMiB(String memory) {
    return parseUnits(memory, GIGABYTES, "memory");
  }

  private static int parseUnits(String value, Pattern scaled, String member) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (WHOLE.matcher(text).matches()) {
        return Math.toIntExact(Long.parseLong(text));
      }
      Matcher matcher = scaled.matcher(text);
      if (matcher.matches()) {
        // 1024 units to the vCPU and 1024 MiB to the GB; a fraction must come out whole.
        return new BigDecimal(matcher.group(1)).multiply(UNITS_PER_WHOLE).intValueExact();
      }
    } catch (ArithmeticException e) {
      // Falls through to the error below: too large, or not a whole number of units.
    }
    throw invalidTaskSetting(member);
  }

  private static int taskCpu(String cpu) {
    int units = cpuUnits(cpu);
    if (units < MIN_TASK_CPU || units > MAX_TASK_CPU) {
      throw invalidTaskSetting("cpu");
    }
    return units;
  }

  private static int taskMemory(String memory) {
    int mib = memoryMiB(memory);
    if (mib < ContainerDefinitionRules.MIN_MEMORY_MIB) {
      throw invalidTaskSetting("memory");
    }
    return mib;
  }

  private static void checkFamily(String family) {
    if (family == null || family.isBlank()) {
      throw EcsErrors.client("Family can not be blank.");
    }
    if (!FAMILY.matcher(family).matches()) {
      throw EcsErrors.client("Family contains invalid characters.");
    }
  }

  private static Set<String> volumeNames(JsonNode volumes) {
    Set<String> names = new HashSet<>();
    for (JsonNode volume : volumes) {
      String name = Json.text(volume, "name");
      if (name == null || name.isBlank()) {
        throw EcsErrors.client("Volume.name should not be null or empty.");
      }
      if (!VOLUME_NAME.matcher(name).matches()) {
        throw EcsErrors.client("Volume.name contains invalid characters.");
      }
      if (!names.add(name)) {
        throw EcsErrors.client("Volume names must be unique within a Task Definition.");
      }
    }
    return names;
  }

  private static void checkPlacementConstraints(JsonNode constraints) {
    if (constraints.size() > MAX_PLACEMENT_CONSTRAINTS) {
      throw EcsErrors.client(
          "Too many placement constraints. A task definition can have at most "
              + MAX_PLACEMENT_CONSTRAINTS
              + ".");
    }
    for (JsonNode constraint : constraints) {
      // The model allows only memberOf as a type, but lets the type and the expression be absent.
      String expression = Json.text(constraint, "expression");
      if (!constraint.has("type") || expression == null || expression.isBlank()) {
        throw EcsErrors.client(
            "Invalid placement constraint: a task definition constraint must be of type"
                + " 'memberOf' with an expression.");
      }
    }
  }

  /** Checks what containers say about each other: dependencies, links and essential ones. */
  private static void checkContainerGraph(ArrayNode containers) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    Map<String, List<String>> links = new LinkedHashMap<>();
    Map<String, List<String>> dependencies = new LinkedHashMap<>();
    for (JsonNode container : containers) {
      String name = container.get("name").asText();
      byName.put(name, container);
      links.put(name, new ArrayList<>());
      dependencies.put(name, new ArrayList<>());
      for (JsonNode link : container.path("links")) {
        links.get(name).add(ContainerDefinitionRules.linkTarget(link.asText()));
      }
      for (JsonNode dependency : container.path("dependsOn")) {
        dependencies.get(name).add(dependency.get("containerName").asText());
      }
    }
    if (hasCycle(links)) {
      throw EcsErrors.client("Container links should not have a cycle");
    }
    if (hasCycle(dependencies)) {
      throw EcsErrors.client("Container dependencies should not have a cycle");
    }
    boolean anyEssential = false;
    for (JsonNode container : containers) {
      anyEssential |= container.get("essential").booleanValue();
      for (JsonNode dependency : container.path("dependsOn")) {
        String condition = dependency.get("condition").asText();
        JsonNode target = byName.get(dependency.get("containerName").asText());
        boolean waitsForExit = condition.equals("SUCCESS") || condition.equals("COMPLETE");
        if (waitsForExit && target.get("essential").booleanValue()) {
          throw EcsErrors.client(
              "A dependency container with SUCCESS or COMPLETE condition cannot be an essential"
                  + " container");
        }
      }
    }
    if (!anyEssential) {
      throw EcsErrors.client("Task definition doesn't have any essential container.");
    }
  }

  /** Returns true if following the edges from some node leads back to it. */
  private static boolean hasCycle(Map<String, List<String>> edges) {
    Map<String, Boolean> finished = new HashMap<>();
    for (String node : edges.keySet()) {
      if (reachesOpenNode(node, edges, finished)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reachesOpenNode(
      String node, Map<String, List<String>> edges, Map<String, Boolean> finished) {
    Boolean done = finished.get(node);
    if (done != null) {
      return !done;
    }
    finished.put(node, false);
    for (String next : edges.getOrDefault(node, List.of())) {
      if (reachesOpenNode(next, edges, finished)) {
        return true;
      }
    }
    finished.put(node, true);
    return false;
  }

  /** Checks that no fixed host port is mapped twice for one protocol anywhere in the task. */
  private static void checkHostPorts(ArrayNode containers) {
    Set<String> mapped = new HashSet<>();
    for (JsonNode container : containers) {
      for (JsonNode mapping : container.get("portMappings")) {
        int hostPort = mapping.path("hostPort").asInt(0);
        String protocol = mapping.get("protocol").asText().toUpperCase(Locale.ROOT);
        if (hostPort != 0 && !mapped.add(protocol + "/" + hostPort)) {
          throw EcsErrors.client(
              protocol + " host port '" + hostPort + "' is mapped multiple times in task.");
        }
      }
    }
  }

  /** Checks the containers' CPU and memory against the task's, when the task sets them. */
  private static void checkTaskResources(
      ArrayNode containers, Integer taskCpu, Integer taskMemory) {
    long cpu = 0;
    long reserved = 0;
    boolean anyReservation = false;
    for (JsonNode container : containers) {
      String name = container.get("name").asText();
      cpu += container.get("cpu").intValue();
      Integer memory = ContainerDefinitionRules.intOrNull(container, "memory");
      Integer reservation = ContainerDefinitionRules.intOrNull(container, "memoryReservation");
      if (taskMemory != null && memory != null && memory > taskMemory) {
        throw EcsErrors.client(
            "The 'memory' setting for container '" + name + "' is greater than for the task.");
      }
      // A container reserves its soft limit when it has one, else its hard limit.
      anyReservation |= reservation != null;
      reserved += reservation != null ? reservation : memory != null ? memory : 0;
    }
    if (taskCpu != null && cpu > taskCpu) {
      throw EcsErrors.client(
          "The sum of all container 'cpu' values cannot be greater than the value of the task"
              + " 'cpu'.");
    }
    if (taskMemory != null && reserved > taskMemory) {
      throw EcsErrors.client(
          "The sum of all container '"
              + (anyReservation ? "memoryReservation" : "memory")
              + "' values cannot be greater than the value of the task 'memory'.");
    }
  }

  /** Returns the body: the request's members in their order, checked and normalized, no tags. */
  private static ObjectNode body(
      ObjectNode request, ArrayNode containers, Integer taskCpu, Integer taskMemory) {
    ObjectNode body = Json.object();
    for (Map.Entry<String, JsonNode> member : request.properties()) {
      switch (member.getKey()) {
        case "tags" -> {}
        case "containerDefinitions" -> body.set(member.getKey(), containers);
        case "volumes" -> body.set("volumes", volumes(member.getValue()));
        case "cpu" -> body.put("cpu", Integer.toString(taskCpu));
        case "memory" -> body.put("memory", Integer.toString(taskMemory));
        default -> body.set(member.getKey(), member.getValue().deepCopy());
      }
    }
    if (!body.has("volumes")) {
      body.set("volumes", Json.array());
    }
    if (!body.has("placementConstraints")) {
      body.set("placementConstraints", Json.array());
    }
    return body;
  }

  /**
   * Returns the volumes with the defaults ECS fills in: an EFS volume's rootDirectory is "/" when
   * the request leaves it out.
   */
  private static ArrayNode volumes(JsonNode requested) {
    ArrayNode volumes = Json.array();
    for (JsonNode volume : requested) {
      ObjectNode copy = (ObjectNode) volume.deepCopy();
      if (copy.get("efsVolumeConfiguration") instanceof ObjectNode efs
          && !efs.hasNonNull("rootDirectory")) {
        efs.put("rootDirectory", "/");
      }
      volumes.add(copy);
    }
    return volumes;
  }

  private static AwsException invalidTaskSetting(String member) {
    return EcsErrors.client("Invalid '" + member + "' setting for task.");
  }
}
