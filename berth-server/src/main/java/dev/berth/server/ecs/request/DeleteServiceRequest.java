package dev.berth.server.ecs.request;

/** ECS's {@code DeleteServiceRequest}. */
public record DeleteServiceRequest(String cluster, String service, Boolean force) {}
