package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ECS's {@code ServiceRegistry} of a service: the Cloud Map service its tasks register in, and with
 * which port.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceRegistry(
    String registryArn, Integer port, String containerName, Integer containerPort) {}
