package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.EcsJson.bool;
import static dev.berth.agent.runtime.EcsJson.hasContent;
import static dev.berth.agent.runtime.EcsJson.integer;
import static dev.berth.agent.runtime.EcsJson.items;
import static dev.berth.agent.runtime.EcsJson.member;
import static dev.berth.agent.runtime.EcsJson.strings;
import static dev.berth.agent.runtime.EcsJson.stringsOrEmpty;
import static dev.berth.agent.runtime.EcsJson.text;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns ECS container definitions into {@link ContainerSpec}s for this host, as the ECS agent does
 * on Linux. Whatever a definition asks for that cannot be honoured here is refused with a {@code
 * CannotCreateContainerError} failure rather than dropped.
 */
public final class ContainerSpecs {
  /** The stop timeout when a definition sets none, as the ECS agent's default. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  // The Linux kernel's bounds for CPU shares; the ECS agent clamps to them.
  private static final int MIN_CPU_SHARES = 2;
  private static final int MAX_CPU_SHARES = 262_144;
  private static final long MIB = 1024L * 1024L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ContainerSpecs() {}

  /**
   * Returns a copy of the container definition with an ECS {@code ContainerOverride} applied:
   * command, cpu, memory and memoryReservation replace the definition's, environment variables are
   * merged by name, resource requirements by type; environmentFiles are ignored.
   */
  public static ObjectNode applyOverride(
      ObjectNode containerDefinition, ObjectNode containerOverride) {
    ObjectNode merged = containerDefinition.deepCopy();
    if (containerOverride == null) {
      return merged;
    }
    String name = text(containerOverride, "name");
    if (name != null && !name.equals(text(containerDefinition, "name"))) {
      throw new IllegalArgumentException(
          "override for " + name + " applied to " + text(containerDefinition, "name"));
    }
    for (String field : List.of("command", "cpu", "memory", "memoryReservation")) {
      JsonNode value = member(containerOverride, field);
      if (value != null) {
        merged.set(field, value.deepCopy());
      }
    }
    mergeBy(merged, containerOverride, "environment", "name");
    mergeBy(merged, containerOverride, "resourceRequirements", "type");
    return merged;
  }

  private static void mergeBy(ObjectNode merged, ObjectNode override, String field, String key) {
    JsonNode overrides = member(override, field);
    if (overrides == null) {
      return;
    }
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    for (JsonNode item : items(merged, field)) {
      byKey.put(text(item, key), item);
    }
    for (JsonNode item : overrides) {
      byKey.put(text(item, key), item.deepCopy());
    }
    ArrayNode out = merged.putArray(field);
    byKey.values().forEach(out::add);
  }

  /** Returns a fresh Docker container name as the ECS agent makes them. */
  public static String dockerName(String family, int revision, String containerName) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return "ecs-"
        + sanitize(family)
        + "-"
        + revision
        + "-"
        + sanitize(containerName)
        + "-"
        + HexFormat.of().formatHex(random);
  }

  /** Returns the text with every character Docker names do not allow removed. */
  static String sanitize(String text) {
    return requireNonNull(text, "name").replaceAll("[^a-zA-Z0-9_.-]", "");
  }

  /** Returns the container's labels: its dockerLabels, then the ECS agent's labels over them. */
  public static Map<String, String> labels(TaskScope task, ObjectNode container) {
    Map<String, String> labels = new LinkedHashMap<>(EcsJson.stringMap(container, "dockerLabels"));
    labels.put(EcsLabels.CLUSTER, task.clusterName());
    labels.put(EcsLabels.TASK_ARN, task.taskArn());
    labels.put(EcsLabels.CONTAINER_NAME, text(container, "name"));
    labels.put(EcsLabels.FAMILY, task.family());
    labels.put(EcsLabels.VERSION, Integer.toString(task.revision()));
    return labels;
  }

  /**
   * Returns the spec for one container of the task, its overrides already applied (see {@link
   * #applyOverride}). Host ports come from the allocator and stay marked in use until released.
   *
   * @throws RuntimeFailure when the definition asks for something this host cannot honour
   */
  public static ContainerSpec toSpec(
      TaskScope task, ObjectNode container, HostPortAllocator ports) {
    String name = text(container, "name");
    if (name == null) {
      throw new IllegalArgumentException("container definition without a name");
    }
    String dockerName = task.containerNames().get(name);
    if (dockerName == null) {
      throw new IllegalArgumentException("no Docker name for container " + name);
    }
    String image = text(container, "image");
    if (image == null || image.isBlank()) {
      throw refuse(name, "no image");
    }
    String networkMode = task.networkMode();
    Unsupported.check(task.taskDefinition(), container, name);
    ContainerSpec.Process process = process(task, container, name);
    ContainerSpec.Resources resources = resources(task.taskDefinition(), container, name);
    ContainerSpec.Storage storage = storage(task, container, name);
    ContainerSpec.Security security = security(container);
    ContainerSpec.LogConfig log = logConfig(container, name);
    ContainerSpec.HealthCheck health = healthCheck(container);
    Integer stopTimeout = integer(container, "stopTimeout");
    // Ports last: nothing after this may fail, or the ports would stay marked in use.
    ContainerSpec.Network network = network(task, container, name, networkMode, ports);
    return new ContainerSpec(
        dockerName,
        image,
        labels(task, container),
        process,
        resources,
        network,
        storage,
        security,
        log,
        health,
        stopTimeout == null ? DEFAULT_STOP_TIMEOUT : Duration.ofSeconds(stopTimeout));
  }

  private static ContainerSpec.Process process(TaskScope task, JsonNode container, String name) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode variable : items(container, "environment")) {
      String key = text(variable, "name");
      if (key == null) {
        throw refuse(name, "an environment variable without a name");
      }
      String value = text(variable, "value");
      environment.put(key, value == null ? "" : value);
    }
    return new ContainerSpec.Process(
        strings(container, "entryPoint"),
        strings(container, "command"),
        environment,
        text(container, "workingDirectory"),
        text(container, "user"),
        bool(container, "interactive", false),
        bool(container, "pseudoTerminal", false),
        bool(member(container, "linuxParameters"), "initProcessEnabled", false),
        namespaceMode(task.taskDefinition(), "pidMode", name),
        namespaceMode(task.taskDefinition(), "ipcMode", name));
  }

  private static String namespaceMode(JsonNode taskDefinition, String field, String name) {
    String mode = text(taskDefinition, field);
    if (mode == null || mode.equals("host") || (field.equals("ipcMode") && mode.equals("none"))) {
      return mode;
    }
    String allowed = field.equals("ipcMode") ? "host or none" : "host";
    throw refuse(name, field + " " + mode + " is not supported, only " + allowed);
  }

  private static ContainerSpec.Resources resources(
      JsonNode taskDefinition, JsonNode container, String name) {
    Integer memory = integer(container, "memory");
    Integer reservation = integer(container, "memoryReservation");
    Long memoryMiB = memory == null ? null : memory.longValue();
    if (memory == null && reservation == null) {
      // No container limit: the task-level memory bounds it, as the task's cgroup would in ECS.
      memoryMiB = TaskSize.memoryMiB(text(taskDefinition, "memory"), name);
    }
    Long memoryBytes = memoryMiB == null ? null : memoryMiB * MIB;
    JsonNode linux = member(container, "linuxParameters");
    Integer maxSwap = integer(linux, "maxSwap");
    Long memorySwap = null;
    Long swappiness = null;
    if (maxSwap != null) {
      if (memoryBytes == null) {
        throw refuse(name, "linuxParameters.maxSwap needs a hard memory limit");
      }
      memorySwap = memoryBytes + maxSwap * MIB;
      Integer given = integer(linux, "swappiness");
      swappiness = given == null ? 60L : given.longValue();
    }
    Integer cpu = integer(container, "cpu");
    int shares = cpu == null ? MIN_CPU_SHARES : Math.clamp(cpu, MIN_CPU_SHARES, MAX_CPU_SHARES);
    Integer taskCpu = TaskSize.cpuUnits(text(taskDefinition, "cpu"), name);
    Long nanoCpus = taskCpu == null ? null : taskCpu * 1_000_000_000L / 1024;
    Integer shm = integer(linux, "sharedMemorySize");
    List<ContainerSpec.Ulimit> ulimits = new ArrayList<>();
    for (JsonNode ulimit : items(container, "ulimits")) {
      Integer soft = integer(ulimit, "softLimit");
      Integer hard = integer(ulimit, "hardLimit");
      if (text(ulimit, "name") == null || soft == null || hard == null) {
        throw refuse(name, "a ulimit needs name, softLimit and hardLimit");
      }
      ulimits.add(new ContainerSpec.Ulimit(text(ulimit, "name"), soft, hard));
    }
    return new ContainerSpec.Resources(
        memoryBytes,
        reservation == null ? null : reservation * MIB,
        memorySwap,
        swappiness,
        shares,
        nanoCpus,
        shm == null ? null : shm * MIB,
        ulimits);
  }

  private static ContainerSpec.Network network(
      TaskScope task,
      JsonNode container,
      String name,
      String networkMode,
      HostPortAllocator ports) {
    List<String> links = new ArrayList<>();
    for (String link : stringsOrEmpty(container, "links")) {
      if (!networkMode.equals("bridge")) {
        throw refuse(name, "links need networkMode bridge");
      }
      String[] parts = link.split(":", 2);
      String target = task.containerNames().get(parts[0]);
      if (target == null) {
        throw refuse(name, "link to unknown container " + parts[0]);
      }
      links.add(target + ":" + (parts.length == 2 ? parts[1] : parts[0]));
    }
    List<String> extraHosts = new ArrayList<>();
    for (JsonNode entry : items(container, "extraHosts")) {
      extraHosts.add(text(entry, "hostname") + ":" + text(entry, "ipAddress"));
    }
    return new ContainerSpec.Network(
        networkMode,
        text(container, "hostname"),
        PortMappings.bind(name, networkMode, container, ports),
        links,
        stringsOrEmpty(container, "dnsServers"),
        stringsOrEmpty(container, "dnsSearchDomains"),
        extraHosts,
        bool(container, "disableNetworking", false));
  }

  private static ContainerSpec.Storage storage(TaskScope task, JsonNode container, String name) {
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (JsonNode mountPoint : items(container, "mountPoints")) {
      String source = text(mountPoint, "sourceVolume");
      String path = text(mountPoint, "containerPath");
      TaskVolumes.TaskVolume volume = source == null ? null : task.volumes().get(source);
      if (volume == null) {
        throw refuse(name, "mount point of unknown volume " + source);
      }
      if (path == null || !path.startsWith("/")) {
        throw refuse(name, "mount point needs an absolute containerPath, not " + path);
      }
      ContainerSpec.Mount.Kind kind =
          volume.kind() == TaskVolumes.Kind.HOST_PATH
              ? ContainerSpec.Mount.Kind.BIND
              : ContainerSpec.Mount.Kind.VOLUME;
      mounts.add(
          new ContainerSpec.Mount(
              kind, volume.source(), path, bool(mountPoint, "readOnly", false)));
    }
    List<ContainerSpec.VolumeFrom> volumesFrom = new ArrayList<>();
    for (JsonNode from : items(container, "volumesFrom")) {
      String source = text(from, "sourceContainer");
      String target = source == null ? null : task.containerNames().get(source);
      if (target == null) {
        throw refuse(name, "volumesFrom unknown container " + source);
      }
      volumesFrom.add(new ContainerSpec.VolumeFrom(target, bool(from, "readOnly", false)));
    }
    JsonNode linux = member(container, "linuxParameters");
    Map<String, String> tmpfs = new LinkedHashMap<>();
    for (JsonNode mount : items(linux, "tmpfs")) {
      List<String> options = new ArrayList<>();
      Integer size = integer(mount, "size");
      if (size != null) {
        options.add("size=" + size + "m");
      }
      options.addAll(stringsOrEmpty(mount, "mountOptions"));
      tmpfs.put(text(mount, "containerPath"), String.join(",", options));
    }
    List<ContainerSpec.Device> devices = new ArrayList<>();
    for (JsonNode device : items(linux, "devices")) {
      String hostPath = text(device, "hostPath");
      String path = text(device, "containerPath");
      devices.add(
          new ContainerSpec.Device(
              hostPath, path == null ? hostPath : path, devicePermissions(device)));
    }
    return new ContainerSpec.Storage(
        mounts, volumesFrom, tmpfs, bool(container, "readonlyRootFilesystem", false), devices);
  }

  private static String devicePermissions(JsonNode device) {
    List<String> permissions = strings(device, "permissions");
    if (permissions == null || permissions.isEmpty()) {
      return "rwm";
    }
    return (permissions.contains("read") ? "r" : "")
        + (permissions.contains("write") ? "w" : "")
        + (permissions.contains("mknod") ? "m" : "");
  }

  private static ContainerSpec.Security security(JsonNode container) {
    JsonNode capabilities = member(member(container, "linuxParameters"), "capabilities");
    Map<String, String> sysctls = new LinkedHashMap<>();
    for (JsonNode control : items(container, "systemControls")) {
      sysctls.put(text(control, "namespace"), text(control, "value"));
    }
    return new ContainerSpec.Security(
        bool(container, "privileged", false),
        stringsOrEmpty(capabilities, "add"),
        stringsOrEmpty(capabilities, "drop"),
        stringsOrEmpty(container, "dockerSecurityOptions"),
        sysctls);
  }

  private static ContainerSpec.LogConfig logConfig(JsonNode container, String name) {
    JsonNode log = member(container, "logConfiguration");
    if (log == null) {
      return null;
    }
    String driver = text(log, "logDriver");
    if (driver == null) {
      throw refuse(name, "logConfiguration without a logDriver");
    }
    if (driver.equals("awsfirelens")) {
      throw refuse(name, "log driver awsfirelens is not supported (no FireLens on this host)");
    }
    if (hasContent(log, "secretOptions")) {
      throw refuse(name, "logConfiguration.secretOptions are not supported (no secrets store)");
    }
    return new ContainerSpec.LogConfig(driver, EcsJson.stringMap(log, "options"));
  }

  private static ContainerSpec.HealthCheck healthCheck(JsonNode container) {
    JsonNode check = member(container, "healthCheck");
    if (check == null) {
      return null;
    }
    Integer interval = integer(check, "interval");
    Integer timeout = integer(check, "timeout");
    Integer startPeriod = integer(check, "startPeriod");
    Integer retries = integer(check, "retries");
    // ECS's defaults, which Docker shares except for the start period.
    return new ContainerSpec.HealthCheck(
        stringsOrEmpty(check, "command"),
        Duration.ofSeconds(interval == null ? 30 : interval),
        Duration.ofSeconds(timeout == null ? 5 : timeout),
        Duration.ofSeconds(startPeriod == null ? 0 : startPeriod),
        retries == null ? 3 : retries);
  }

  static RuntimeFailure refuse(String containerName, String detail) {
    return new RuntimeFailure(
        RuntimeFailure.CANNOT_CREATE, "container " + containerName + ": " + detail);
  }
}
