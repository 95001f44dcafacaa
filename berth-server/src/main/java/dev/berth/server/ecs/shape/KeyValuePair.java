package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code KeyValuePair}: a name and a value, such as an environment variable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyValuePair(String name, String value) {}
