package dev.berth.server.ecs.request;

/** ECS's {@code DeleteAccountSettingRequest}. */
public record DeleteAccountSettingRequest(String name, String principalArn) {}
