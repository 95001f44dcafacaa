package dev.berth.server.ecs.request;

/** ECS's {@code ListTasksRequest}. */
public record ListTasksRequest(
    String cluster,
    String containerInstance,
    String family,
    String nextToken,
    Integer maxResults,
    String startedBy,
    String serviceName,
    String desiredStatus,
    String launchType,
    String daemonName) {}
