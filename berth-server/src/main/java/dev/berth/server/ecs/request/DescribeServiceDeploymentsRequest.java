package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code DescribeServiceDeploymentsRequest}. */
public record DescribeServiceDeploymentsRequest(List<String> serviceDeploymentArns) {}
