package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code ExecuteCommandLogConfiguration}: where ECS Exec sessions are logged. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecuteCommandLogConfiguration(
    String cloudWatchLogGroupName,
    Boolean cloudWatchEncryptionEnabled,
    String s3BucketName,
    Boolean s3EncryptionEnabled,
    String s3KeyPrefix) {}
