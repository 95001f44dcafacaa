package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code DeploymentLifecycleHookTimeoutConfiguration}, kept as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentLifecycleHookTimeoutConfiguration(
    Integer timeoutInMinutes, String action) {}
