package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ExecuteCommandConfiguration}: how a cluster's ECS Exec sessions are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecuteCommandConfiguration(
    String kmsKeyId, String logging, ExecuteCommandLogConfiguration logConfiguration) {}
