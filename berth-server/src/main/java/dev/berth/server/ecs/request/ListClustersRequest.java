package dev.berth.server.ecs.request;

/** ECS's {@code ListClustersRequest}. */
public record ListClustersRequest(String nextToken, Integer maxResults) {}
