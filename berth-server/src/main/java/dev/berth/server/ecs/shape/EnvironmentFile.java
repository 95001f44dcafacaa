package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code EnvironmentFile}: a file of environment variables a container reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentFile(String value, String type) {}
