package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ResourceRequirement}: a GPU or accelerator a container asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceRequirement(String value, String type) {}
