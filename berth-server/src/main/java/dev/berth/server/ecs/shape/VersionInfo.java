package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ECS's {@code VersionInfo}: the versions of a container instance's agent and Docker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionInfo(String agentVersion, String agentHash, String dockerVersion) {}
