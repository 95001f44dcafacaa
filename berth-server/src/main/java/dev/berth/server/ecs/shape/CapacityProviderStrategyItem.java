package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One item of ECS's {@code CapacityProviderStrategy}: a capacity provider with its weight and base.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapacityProviderStrategyItem(String capacityProvider, Integer weight, Integer base) {}
