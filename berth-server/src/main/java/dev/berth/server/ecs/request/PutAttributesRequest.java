package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.Attribute;
import java.util.List;

/** ECS's {@code PutAttributesRequest}. */
public record PutAttributesRequest(String cluster, List<Attribute> attributes) {}
