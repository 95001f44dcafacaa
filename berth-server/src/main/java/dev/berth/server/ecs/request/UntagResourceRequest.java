package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code UntagResourceRequest}. */
public record UntagResourceRequest(String resourceArn, List<String> tagKeys) {}
