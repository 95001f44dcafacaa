package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Ids;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskContainer;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.ecs.state.TaskSpec;
import dev.berth.server.scheduler.PlacementConstraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task definition with a request's overrides applied, checked as ECS checks them: the containers
 * to create with their effective cpu and memory, the task-level cpu and memory, what one task
 * reserves on its instance, and the overrides as a task shows them. Makes the tasks that RunTask
 * and StartTask place.
 */
final class TaskBlueprint {
  private static final int MAX_OVERRIDE_CHARS = 8192;
  private static final String ARCHITECTURE = "ecs.cpu-architecture";
  private static final String ZONE = "ecs.availability-zone";

  /** How a task is started: the request's launch type, startedBy, group, tags and exec flag. */
  record Options(
      String launchType,
      String startedBy,
      String group,
      List<Tag> tags,
      boolean enableExecuteCommand) {}

  /**
   * The blueprints of recent RunTask calls, by task definition revision and overrides: a client
   * that starts the same tasks again and again (a batch job, a benchmark) gets the blueprint worked
   * out once instead of at every call. A blueprint is reused only for the very record it was made
   * of, so a revision deregistered since is checked again. Holds at most {@value #LIMIT} blueprints
   * and lets them all go when full. Safe for concurrent use.
   */
  static final class Cache {
    static final int LIMIT = 1024;

    private record Key(String definitionArn, JsonNode overrides) {}

    private final Map<Key, TaskBlueprint> byKey = new ConcurrentHashMap<>();

    /** Returns {@link TaskBlueprint#of}, made once for a revision and overrides. */
    TaskBlueprint of(TaskDefinition definition, JsonNode overrides) {
      Key key = new Key(definition.arn(), overrides == null ? NullNode.getInstance() : overrides);
      TaskBlueprint kept = byKey.get(key);
      if (kept != null && kept.definition == definition) {
        return kept;
      }
      TaskBlueprint made = TaskBlueprint.of(definition, overrides);
      if (byKey.size() >= LIMIT) {
        byKey.clear();
      }
      byKey.put(key, made);
      return made;
    }
  }

  private record Plan(
      String name,
      String image,
      boolean essential,
      boolean healthChecked,
      Integer cpu,
      Integer memory,
      Integer memoryReservation) {}

  private final TaskDefinition definition;
  private final List<Plan> containers;
  private final Integer taskCpu;
  private final Integer taskMemory;
  private final ObjectNode overrides;
  private final Resources demand;
  private final List<Attribute> requiredAttributes;
  private final List<PlacementConstraint> constraints;

  private TaskBlueprint(
      TaskDefinition definition,
      List<Plan> containers,
      Integer taskCpu,
      Integer taskMemory,
      ObjectNode overrides) {
    this.definition = definition;
    this.containers = List.copyOf(containers);
    this.taskCpu = taskCpu;
    this.taskMemory = taskMemory;
    this.overrides = overrides;
    this.demand = demand(definition.body(), this.containers, taskCpu, taskMemory);
    this.requiredAttributes = Attribute.fromJson(RequiredAttributes.of(definition.body()));
    this.constraints =
        List.copyOf(PlacementConstraint.fromJson(definition.body().path("placementConstraints")));
  }

  /**
   * Returns the blueprint of a task definition with the overrides (ECS's TaskOverride, or null), or
   * throws ECS's error for overrides it refuses.
   */
  static TaskBlueprint of(TaskDefinition definition, JsonNode overrides) {
    requireNonNull(definition);
    ObjectNode given = overrides == null ? Json.object() : (ObjectNode) overrides;
    if (!given.isEmpty() && given.toString().length() > MAX_OVERRIDE_CHARS) {
      throw EcsErrors.invalidParameter(
          "Container Overrides length must be at most " + MAX_OVERRIDE_CHARS);
    }
    if (!given.path("inferenceAcceleratorOverrides").isEmpty()) {
      throw EcsErrors.unsupported("Berth does not support inference accelerators.");
    }
    JsonNode body = definition.body();
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode container : body.path("containerDefinitions")) {
      byName.put(container.get("name").asText(), container);
    }
    Map<String, JsonNode> containerOverrides = containerOverrides(given, byName);
    Integer taskCpu = taskSetting(given, body, "cpu");
    Integer taskMemory = taskSetting(given, body, "memory");

    List<Plan> plans = new ArrayList<>();
    ObjectNode shown = Json.object();
    ArrayNode shownContainers = shown.putArray("containerOverrides");
    for (Map.Entry<String, JsonNode> entry : byName.entrySet()) {
      JsonNode container = entry.getValue();
      JsonNode override = containerOverrides.get(entry.getKey());
      Plan plan = plan(container, override == null ? Json.object() : override, taskMemory);
      plans.add(plan);
      ObjectNode item = shownContainers.addObject();
      item.put("name", entry.getKey());
      if (override != null) {
        override.properties().forEach(member -> item.set(member.getKey(), member.getValue()));
      }
    }
    shown.set("inferenceAcceleratorOverrides", Json.array());
    for (Map.Entry<String, JsonNode> member : given.properties()) {
      if (!member.getKey().equals("containerOverrides")
          && !member.getKey().equals("inferenceAcceleratorOverrides")) {
        shown.set(member.getKey(), member.getValue());
      }
    }
    return new TaskBlueprint(definition, plans, taskCpu, taskMemory, shown);
  }

  /** Returns the task definition the blueprint runs. */
  TaskDefinition definition() {
    return definition;
  }

  /** Returns what one task reserves on its container instance. */
  Resources demand() {
    return demand;
  }

  /** Returns the instance attributes the task definition requires (its requiresAttributes). */
  List<Attribute> requiredAttributes() {
    return requiredAttributes;
  }

  /** Returns the task definition's own placement constraints. */
  List<PlacementConstraint> constraints() {
    return constraints;
  }

  /** Returns a new task of the blueprint on an instance: PROVISIONING, to run, version 1. */
  Task instantiate(ContainerInstance instance, Options options, long now) {
    Arn instanceArn = Arn.parse(instance.arn());
    String region = instanceArn.region();
    String account = instanceArn.account();
    String cluster = instance.clusterName();
    String id = EcsResources.newId();
    String taskArn = EcsResources.taskArn(region, account, cluster, id);
    List<TaskContainer> taskContainers = new ArrayList<>();
    for (Plan plan : containers) {
      String containerArn =
          Arn.ecs(region, account, "container/" + cluster + "/" + id + "/" + Ids.uuid()).toString();
      taskContainers.add(
          new TaskContainer(
              containerArn,
              plan.name(),
              plan.image(),
              plan.essential(),
              plan.healthChecked(),
              plan.cpu(),
              plan.memory(),
              plan.memoryReservation(),
              TaskLifecycle.PENDING,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    List<Attribute> attributes = new ArrayList<>();
    String architecture = instance.attribute(ARCHITECTURE);
    if (architecture != null) {
      attributes.add(new Attribute(ARCHITECTURE, architecture));
    }
    TaskSpec spec =
        new TaskSpec(
            taskArn,
            Arn.ecs(region, account, "cluster/" + cluster).toString(),
            definition.arn(),
            instance.arn(),
            options.launchType(),
            taskCpu == null ? null : taskCpu.toString(),
            taskMemory == null ? null : taskMemory.toString(),
            overrides,
            options.startedBy(),
            options.group(),
            instance.attribute(ZONE),
            attributes,
            options.enableExecuteCommand(),
            demand,
            now);
    return new Task(spec, TaskLifecycle.provisioning(now), taskContainers, options.tags(), 1);
  }

  private static Map<String, JsonNode> containerOverrides(
      JsonNode given, Map<String, JsonNode> byName) {
    Map<String, JsonNode> result = new LinkedHashMap<>();
    for (JsonNode override : given.path("containerOverrides")) {
      String name = Json.text(override, "name");
      if (name == null) {
        throw EcsErrors.invalidParameter("A container override must name its container.");
      }
      if (!byName.containsKey(name)) {
        throw EcsErrors.invalidParameter(
            "Override for container named " + name + " is not a container in the TaskDefinition.");
      }
      if (result.put(name, override) != null) {
        throw EcsErrors.invalidParameter(
            "Container named " + name + " is overridden more than once.");
      }
      if (!override.path("resourceRequirements").isEmpty()) {
        throw EcsErrors.unsupported("Berth does not support GPU resource requirements.");
      }
    }
    return result;
  }

  private static Integer taskSetting(JsonNode given, JsonNode body, String member) {
    String value = Json.text(given, member);
    if (value == null) {
      value = Json.text(body, member);
    }
    if (value == null) {
      return null;
    }
    return member.equals("cpu")
        ? TaskDefinitionRules.cpuUnits(value)
        : TaskDefinitionRules.memoryMiB(value);
  }

  private static Plan plan(JsonNode container, JsonNode override, Integer taskMemory) {
    String name = container.get("name").asText();
    Integer cpu = firstOf(override, container, "cpu");
    Integer memory = firstOf(override, container, "memory");
    Integer reservation = firstOf(override, container, "memoryReservation");
    if (cpu != null && cpu < 0) {
      throw invalidOverride("cpu", name);
    }
    if (memory != null && memory < ContainerDefinitionRules.MIN_MEMORY_MIB) {
      throw invalidOverride("memory", name);
    }
    if (reservation != null && reservation < ContainerDefinitionRules.MIN_MEMORY_MIB) {
      throw invalidOverride("memoryReservation", name);
    }
    if (memory != null && reservation != null && reservation > memory) {
      throw EcsErrors.invalidParameter(
          "Invalid override for container '"
              + name
              + "'. 'memoryReservation' must be less than or equal to 'memory'.");
    }
    if (taskMemory != null && memory != null && memory > taskMemory) {
      throw EcsErrors.client(
          "The 'memory' setting for container '" + name + "' is greater than for the task.");
    }
    return new Plan(
        name,
        container.get("image").asText(),
        container.path("essential").asBoolean(true),
        container.has("healthCheck"),
        cpu,
        memory,
        reservation);
  }

  private static Integer firstOf(JsonNode override, JsonNode container, String member) {
    Integer overridden = ContainerDefinitionRules.intOrNull(override, member);
    return overridden != null ? overridden : ContainerDefinitionRules.intOrNull(container, member);
  }

  /**
   * Returns what one task reserves: the task's cpu and memory if set, else the sum of its
   * containers' (each container's memory reservation, else its hard limit, as ECS reserves it), and
   * the fixed host ports of its port mappings. Dynamic host ports are the agent's to choose.
   */
  private static Resources demand(
      JsonNode body, List<Plan> containers, Integer taskCpu, Integer taskMemory) {
    int cpu = 0;
    int memory = 0;
    for (Plan plan : containers) {
      cpu += plan.cpu() == null ? 0 : plan.cpu();
      memory +=
          plan.memoryReservation() != null
              ? plan.memoryReservation()
              : plan.memory() == null ? 0 : plan.memory();
    }
    List<Integer> tcp = new ArrayList<>();
    List<Integer> udp = new ArrayList<>();
    String networkMode = body.path("networkMode").asText("bridge");
    if (networkMode.equals("bridge") || networkMode.equals("host")) {
      for (JsonNode container : body.path("containerDefinitions")) {
        for (JsonNode mapping : container.path("portMappings")) {
          int hostPort = mapping.path("hostPort").asInt(0);
          if (hostPort != 0) {
            boolean isUdp = "udp".equalsIgnoreCase(mapping.path("protocol").asText("tcp"));
            (isUdp ? udp : tcp).add(hostPort);
          }
        }
      }
    }
    return new Resources(
        taskCpu != null ? taskCpu : cpu, taskMemory != null ? taskMemory : memory, tcp, udp);
  }

  private static RuntimeException invalidOverride(String member, String name) {
    return EcsErrors.invalidParameter(
        "Invalid '" + member + "' override for container '" + name + "'.");
  }
}
