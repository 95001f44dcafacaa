package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code DescribeContainerInstancesRequest}. */
public record DescribeContainerInstancesRequest(
    String cluster, List<String> containerInstances, List<String> include) {}
