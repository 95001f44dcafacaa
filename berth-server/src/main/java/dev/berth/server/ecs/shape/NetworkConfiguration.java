package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code NetworkConfiguration} of a service or task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkConfiguration(AwsVpcConfiguration awsvpcConfiguration) {}
