package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code InferenceAcceleratorOverride}, which Berth refuses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceAcceleratorOverride(String deviceName, String deviceType) {}
