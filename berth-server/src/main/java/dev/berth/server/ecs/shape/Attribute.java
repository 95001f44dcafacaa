package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ECS's {@code Attribute} as a caller names it in PutAttributes and DeleteAttributes: a name, an
 * optional value and the container instance it is put on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attribute(String name, String value, String targetType, String targetId) {}
