package dev.berth.server.ecs.request;

/** ECS's {@code StopTaskRequest}. */
public record StopTaskRequest(String cluster, String task, String reason) {}
