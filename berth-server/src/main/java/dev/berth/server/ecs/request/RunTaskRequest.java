package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.PlacementConstraint;
import dev.berth.server.ecs.shape.PlacementStrategy;
import dev.berth.server.ecs.shape.TaskOverride;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/** ECS's {@code RunTaskRequest}. */
public record RunTaskRequest(
    List<CapacityProviderStrategyItem> capacityProviderStrategy,
    String clientToken,
    String cluster,
    Integer count,
    Boolean enableECSManagedTags,
    Boolean enableExecuteCommand,
    String group,
    String launchType,
    NetworkConfiguration networkConfiguration,
    TaskOverride overrides,
    List<PlacementConstraint> placementConstraints,
    List<PlacementStrategy> placementStrategy,
    String propagateTags,
    String startedBy,
    List<Tag> tags,
    String taskDefinition)
    implements TaskLaunchRequest {}
