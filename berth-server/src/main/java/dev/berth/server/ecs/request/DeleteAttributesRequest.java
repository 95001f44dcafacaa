package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.Attribute;
import java.util.List;

/** ECS's {@code DeleteAttributesRequest}. */
public record DeleteAttributesRequest(String cluster, List<Attribute> attributes) {}
