package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code PlacementConstraint} as a request gives it; the scheduler checks and parses it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlacementConstraint(String type, String expression) {}
