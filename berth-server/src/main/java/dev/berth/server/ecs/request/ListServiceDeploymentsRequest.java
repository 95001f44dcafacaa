package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CreatedAt;
import java.util.List;

/** ECS's {@code ListServiceDeploymentsRequest}. */
public record ListServiceDeploymentsRequest(
    String service,
    String cluster,
    List<String> status,
    CreatedAt createdAt,
    String nextToken,
    Integer maxResults) {}
