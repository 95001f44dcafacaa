package dev.berth.server.ecs.request;

/** ECS's {@code ListAccountSettingsRequest}. */
public record ListAccountSettingsRequest(
    String name,
    String value,
    String principalArn,
    Boolean effectiveSettings,
    String nextToken,
    Integer maxResults) {}
