package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code EphemeralStorage}: the task storage asked for, in GiB. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EphemeralStorage(Integer sizeInGiB) {}
