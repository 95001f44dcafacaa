package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.EcsJson.bool;
import static dev.berth.agent.runtime.EcsJson.has;
import static dev.berth.agent.runtime.EcsJson.member;
import static dev.berth.agent.runtime.EcsJson.stringMap;
import static dev.berth.agent.runtime.EcsJson.text;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The volumes of one task, from its task definition's {@code volumes}: what each ECS volume name
 * stands for on this host, which Docker volumes must exist before the containers are created
 * ({@link #provision}) and which go with the task ({@link #release}).
 */
public final class TaskVolumes {
  /** What an ECS volume is on this host. */
  public enum Kind {
    /** A host directory ({@code host.sourcePath}), bind-mounted. */
    HOST_PATH,
    /** A Docker volume created for this task and removed with it. */
    TASK,
    /** A Docker volume named as the ECS volume, kept after the task ({@code scope: shared}). */
    SHARED
  }

  /**
   * One ECS volume: its name in the task definition, its kind, and the host path or Docker volume
   * name it is mounted from, with the Docker volume's driver, options and labels.
   */
  public record TaskVolume(
      String name,
      Kind kind,
      String source,
      String driver,
      Map<String, String> driverOpts,
      Map<String, String> labels,
      boolean autoprovision) {
    /** Checks the parts and copies the maps. */
    public TaskVolume {
      requireNonNull(name, "name");
      requireNonNull(kind, "kind");
      requireNonNull(source, "source");
      driverOpts = Map.copyOf(driverOpts);
      labels = Map.copyOf(labels);
    }
  }

  private final Map<String, TaskVolume> byName;

  private TaskVolumes(Map<String, TaskVolume> byName) {
    this.byName = byName;
  }

  /** Returns the volumes of a task without any. */
  public static TaskVolumes none() {
    return new TaskVolumes(Map.of());
  }

  /**
   * Plans the volumes of a task. A task-scoped Docker volume is named as the ECS agent names them,
   * {@code ecs-FAMILY-REVISION-VOLUME-TASKID}, so the same plan made again after an agent restart
   * names the same volumes, and is labelled with the cluster and task ARN.
   *
   * @throws RuntimeFailure for volume types this host cannot provide (EFS, FSx, S3 Files,
   *     configured at launch)
   */
  public static TaskVolumes plan(ObjectNode taskDefinition, String taskArn, String clusterName) {
    requireNonNull(taskDefinition, "taskDefinition");
    requireNonNull(taskArn, "taskArn");
    requireNonNull(clusterName, "clusterName");
    String prefix =
        "ecs-"
            + ContainerSpecs.sanitize(text(taskDefinition, "family"))
            + "-"
            + text(taskDefinition, "revision")
            + "-";
    String taskId = ContainerSpecs.sanitize(taskArn.substring(taskArn.lastIndexOf('/') + 1));
    Map<String, TaskVolume> byName = new LinkedHashMap<>();
    for (JsonNode volume : EcsJson.items(taskDefinition, "volumes")) {
      String name = text(volume, "name");
      if (name == null || name.isBlank()) {
        throw refuse("a volume without a name");
      }
      if (byName.containsKey(name)) {
        throw refuse("two volumes named " + name);
      }
      byName.put(name, planOne(volume, name, prefix, taskId, taskArn, clusterName));
    }
    return new TaskVolumes(byName);
  }

  private static TaskVolume planOne(
      JsonNode volume,
      String name,
      String prefix,
      String taskId,
      String taskArn,
      String clusterName) {
    for (String unsupported :
        List.of(
            "efsVolumeConfiguration",
            "fsxWindowsFileServerVolumeConfiguration",
            "s3filesVolumeConfiguration")) {
      if (has(volume, unsupported)) {
        throw refuse("volume " + name + ": " + unsupported + " is not supported on this host");
      }
    }
    if (bool(volume, "configuredAtLaunch", false)) {
      throw refuse("volume " + name + ": volumes configured at launch are not supported");
    }
    JsonNode docker = member(volume, "dockerVolumeConfiguration");
    String sourcePath = text(member(volume, "host"), "sourcePath");
    if (docker != null && sourcePath != null) {
      throw refuse("volume " + name + " has both host and dockerVolumeConfiguration");
    }
    if (sourcePath != null) {
      if (!sourcePath.startsWith("/")) {
        throw refuse("volume " + name + ": host.sourcePath must be absolute: " + sourcePath);
      }
      return new TaskVolume(name, Kind.HOST_PATH, sourcePath, null, Map.of(), Map.of(), false);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    String driver = "local";
    Map<String, String> driverOpts = Map.of();
    boolean shared = false;
    boolean autoprovision = false;
    if (docker != null) {
      labels.putAll(stringMap(docker, "labels"));
      driver = text(docker, "driver") == null ? "local" : text(docker, "driver");
      driverOpts = stringMap(docker, "driverOpts");
      String scope = text(docker, "scope");
      shared = "shared".equals(scope);
      if (scope != null && !shared && !"task".equals(scope)) {
        throw refuse("volume " + name + ": unknown scope " + scope);
      }
      autoprovision = bool(docker, "autoprovision", false);
      if (autoprovision && !shared) {
        throw refuse("volume " + name + ": autoprovision is only for shared volumes");
      }
    }
    if (shared) {
      return new TaskVolume(name, Kind.SHARED, name, driver, driverOpts, labels, autoprovision);
    }
    labels.put(EcsLabels.CLUSTER, clusterName);
    labels.put(EcsLabels.TASK_ARN, taskArn);
    String dockerName = prefix + ContainerSpecs.sanitize(name) + "-" + taskId;
    return new TaskVolume(name, Kind.TASK, dockerName, driver, driverOpts, labels, true);
  }

  /** Returns the volume of that ECS name, or null. */
  public TaskVolume get(String name) {
    return byName.get(name);
  }

  /** Returns every volume in task definition order. */
  public List<TaskVolume> all() {
    return new ArrayList<>(byName.values());
  }

  /**
   * Creates the task's Docker volumes and the shared ones it may autoprovision, and checks that the
   * other shared ones exist.
   */
  public void provision(ContainerRuntime runtime) {
    for (TaskVolume volume : byName.values()) {
      switch (volume.kind()) {
        case HOST_PATH -> {}
        case TASK ->
            runtime.createVolume(
                volume.source(), volume.driver(), volume.driverOpts(), volume.labels());
        case SHARED -> {
          if (volume.autoprovision()) {
            runtime.createVolume(
                volume.source(), volume.driver(), volume.driverOpts(), volume.labels());
          } else if (!runtime.volumeExists(volume.source())) {
            throw new RuntimeFailure(
                RuntimeFailure.VOLUME,
                "shared volume "
                    + volume.source()
                    + " does not exist and autoprovision is not enabled");
          }
        }
      }
    }
  }

  /** Removes the task's own Docker volumes; call it once its containers are removed. */
  public void release(ContainerRuntime runtime) {
    for (TaskVolume volume : byName.values()) {
      if (volume.kind() == Kind.TASK) {
        runtime.removeVolume(volume.source());
      }
    }
  }

  private static RuntimeFailure refuse(String detail) {
    return new RuntimeFailure(RuntimeFailure.CANNOT_CREATE, detail);
  }
}
