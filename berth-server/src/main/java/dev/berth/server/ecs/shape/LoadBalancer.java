package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ECS's {@code LoadBalancer} of a service: a target group (or classic load balancer) and the
 * container and port it sends to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancer(
    String targetGroupArn,
    String loadBalancerName,
    String containerName,
    Integer containerPort,
    AdvancedConfiguration advancedConfiguration) {}
