package dev.berth.server.ecs.request;

/** ECS's {@code ListTagsForResourceRequest}. */
public record ListTagsForResourceRequest(String resourceArn) {}
