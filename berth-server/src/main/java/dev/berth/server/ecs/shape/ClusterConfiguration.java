package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ClusterConfiguration}: a cluster's ECS Exec and managed storage settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterConfiguration(
    ExecuteCommandConfiguration executeCommandConfiguration,
    ManagedStorageConfiguration managedStorageConfiguration) {}
