package dev.berth.server.ecs.request;

/** ECS's {@code PutAccountSettingRequest}. */
public record PutAccountSettingRequest(String name, String value, String principalArn) {}
