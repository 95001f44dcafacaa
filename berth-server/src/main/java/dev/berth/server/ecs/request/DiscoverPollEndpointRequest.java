package dev.berth.server.ecs.request;

/**
 * ECS's {@code DiscoverPollEndpointRequest}. Berth answers its one endpoint whichever instance or
 * cluster asks, so it reads none of the members.
 */
public record DiscoverPollEndpointRequest() {}
