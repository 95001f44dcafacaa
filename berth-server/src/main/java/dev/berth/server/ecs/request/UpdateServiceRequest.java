package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.shape.DeploymentController;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.PlacementConstraint;
import dev.berth.server.ecs.shape.PlacementStrategy;
import dev.berth.server.ecs.shape.ServiceRegistry;
import java.util.List;

/** ECS's {@code UpdateServiceRequest}: every member but the service is a change, null if absent. */
public record UpdateServiceRequest(
    String cluster,
    String service,
    Integer desiredCount,
    String taskDefinition,
    List<CapacityProviderStrategyItem> capacityProviderStrategy,
    DeploymentConfiguration deploymentConfiguration,
    NetworkConfiguration networkConfiguration,
    List<PlacementConstraint> placementConstraints,
    List<PlacementStrategy> placementStrategy,
    Boolean forceNewDeployment,
    Integer healthCheckGracePeriodSeconds,
    DeploymentController deploymentController,
    Boolean enableExecuteCommand,
    Boolean enableECSManagedTags,
    List<LoadBalancer> loadBalancers,
    String propagateTags,
    List<ServiceRegistry> serviceRegistries) {}
