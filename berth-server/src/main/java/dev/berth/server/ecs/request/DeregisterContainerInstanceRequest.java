package dev.berth.server.ecs.request;

/** ECS's {@code DeregisterContainerInstanceRequest}. */
public record DeregisterContainerInstanceRequest(
    String cluster, String containerInstance, Boolean force) {}
