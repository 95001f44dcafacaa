package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import java.util.List;

/** ECS's {@code PutClusterCapacityProvidersRequest}. */
public record PutClusterCapacityProvidersRequest(
    String cluster,
    List<String> capacityProviders,
    List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy) {}
