package dev.berth.server.ecs.request;

/** ECS's {@code ListContainerInstancesRequest}. */
public record ListContainerInstancesRequest(
    String cluster, String filter, String nextToken, Integer maxResults, String status) {}
