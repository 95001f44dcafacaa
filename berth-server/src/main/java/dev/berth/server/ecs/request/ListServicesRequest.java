package dev.berth.server.ecs.request;

/** ECS's {@code ListServicesRequest}. */
public record ListServicesRequest(
    String cluster,
    String nextToken,
    Integer maxResults,
    String launchType,
    String schedulingStrategy) {}
