package dev.berth.server.ecs.request;

/** ECS's {@code ListAttributesRequest}. */
public record ListAttributesRequest(
    String cluster,
    String targetType,
    String attributeName,
    String attributeValue,
    String nextToken,
    Integer maxResults) {}
