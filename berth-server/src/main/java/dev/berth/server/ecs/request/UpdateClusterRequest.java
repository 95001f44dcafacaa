package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.ClusterConfiguration;
import dev.berth.server.ecs.shape.ClusterServiceConnectDefaultsRequest;
import dev.berth.server.ecs.shape.ClusterSetting;
import java.util.List;

/**
 * ECS's {@code UpdateClusterRequest}. The stored cluster keeps its settings, configuration and
 * service connect defaults as JSON, so the operation turns these back into JSON.
 */
public record UpdateClusterRequest(
    String cluster,
    List<ClusterSetting> settings,
    ClusterConfiguration configuration,
    ClusterServiceConnectDefaultsRequest serviceConnectDefaults) {}
