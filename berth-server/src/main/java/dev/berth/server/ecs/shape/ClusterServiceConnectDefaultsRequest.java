package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ClusterServiceConnectDefaultsRequest}: the default Cloud Map namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterServiceConnectDefaultsRequest(String namespace) {}
