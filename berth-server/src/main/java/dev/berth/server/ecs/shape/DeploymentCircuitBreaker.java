package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ECS's {@code DeploymentCircuitBreaker}: whether failed tasks stop a deployment, and roll it back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentCircuitBreaker(boolean enable, boolean rollback) {}
