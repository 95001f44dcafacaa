package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.TaskOverride;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/** ECS's {@code StartTaskRequest}. */
public record StartTaskRequest(
    String cluster,
    List<String> containerInstances,
    Boolean enableECSManagedTags,
    Boolean enableExecuteCommand,
    String group,
    NetworkConfiguration networkConfiguration,
    TaskOverride overrides,
    String propagateTags,
    String startedBy,
    List<Tag> tags,
    String taskDefinition)
    implements TaskLaunchRequest {}
