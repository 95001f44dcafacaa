package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.ClusterConfiguration;
import dev.berth.server.ecs.shape.ClusterServiceConnectDefaultsRequest;
import dev.berth.server.ecs.shape.ClusterSetting;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/**
 * ECS's {@code CreateClusterRequest}. The stored cluster keeps its settings, configuration,
 * strategy and service connect defaults as JSON, so the operation turns these back into JSON.
 */
public record CreateClusterRequest(
    String clusterName,
    List<Tag> tags,
    List<ClusterSetting> settings,
    ClusterConfiguration configuration,
    List<String> capacityProviders,
    List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy,
    ClusterServiceConnectDefaultsRequest serviceConnectDefaults) {}
