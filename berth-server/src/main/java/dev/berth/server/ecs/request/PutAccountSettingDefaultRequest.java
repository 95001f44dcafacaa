package dev.berth.server.ecs.request;

/** ECS's {@code PutAccountSettingDefaultRequest}. */
public record PutAccountSettingDefaultRequest(String name, String value) {}
