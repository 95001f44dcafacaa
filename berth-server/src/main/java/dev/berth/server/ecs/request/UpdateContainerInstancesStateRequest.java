package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code UpdateContainerInstancesStateRequest}. */
public record UpdateContainerInstancesStateRequest(
    String cluster, List<String> containerInstances, String status) {}
