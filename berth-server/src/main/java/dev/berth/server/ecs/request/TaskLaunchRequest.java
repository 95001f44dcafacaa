package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.TaskOverride;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/**
 * The members RunTask and StartTask share: which task definition the tasks run, with which
 * overrides, network configuration, group, tags and startedBy.
 */
public interface TaskLaunchRequest {
  /** Returns the task definition: a family, family:revision or ARN. */
  String taskDefinition();

  /** Returns the overrides of the task definition, or null. */
  TaskOverride overrides();

  /** Returns the network configuration, or null. */
  NetworkConfiguration networkConfiguration();

  /** Returns the task group, or null for the task definition's family. */
  String group();

  /** Returns who starts the tasks, or null. */
  String startedBy();

  /** Returns the tags of the tasks, or null. */
  List<Tag> tags();

  /** Returns how tags propagate to the tasks, or null. */
  String propagateTags();

  /** Returns whether the tasks get the aws:ecs:* tags, or null. */
  Boolean enableECSManagedTags();

  /** Returns whether the tasks start with execute command enabled, or null. */
  Boolean enableExecuteCommand();
}
