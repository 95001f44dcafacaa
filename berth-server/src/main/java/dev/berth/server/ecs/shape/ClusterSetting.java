package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ClusterSetting}: a cluster setting's name and value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSetting(String name, String value) {}
