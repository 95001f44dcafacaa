package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code DescribeClustersRequest}. */
public record DescribeClustersRequest(List<String> clusters, List<String> include) {}
