package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * ECS's {@code AdvancedConfiguration} of a load balancer (blue/green target groups), kept as given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdvancedConfiguration(
    String alternateTargetGroupArn,
    String productionListenerRule,
    String testListenerRule,
    String roleArn) {}
