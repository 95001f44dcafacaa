package dev.berth.server.ecs.request;

import dev.berth.server.ecs.state.Tag;
import java.util.List;

/** ECS's {@code TagResourceRequest}. */
public record TagResourceRequest(String resourceArn, List<Tag> tags) {}
