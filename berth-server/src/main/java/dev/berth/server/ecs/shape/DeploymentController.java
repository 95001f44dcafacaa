package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code DeploymentController}: who deploys a service (Berth: ECS's rolling one). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentController(String type) {}
