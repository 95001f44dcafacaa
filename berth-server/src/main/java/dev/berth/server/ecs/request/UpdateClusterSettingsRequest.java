package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.ClusterSetting;
import java.util.List;

/** ECS's {@code UpdateClusterSettingsRequest}. */
public record UpdateClusterSettingsRequest(String cluster, List<ClusterSetting> settings) {}
