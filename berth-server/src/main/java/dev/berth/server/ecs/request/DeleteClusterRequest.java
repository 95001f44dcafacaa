package dev.berth.server.ecs.request;

/** ECS's {@code DeleteClusterRequest}. */
public record DeleteClusterRequest(String cluster) {}
