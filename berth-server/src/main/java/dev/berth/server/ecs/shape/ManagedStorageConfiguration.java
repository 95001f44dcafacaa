package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ManagedStorageConfiguration}: the KMS keys of a cluster's managed storage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManagedStorageConfiguration(
    String kmsKeyId, String fargateEphemeralStorageKmsKeyId) {}
