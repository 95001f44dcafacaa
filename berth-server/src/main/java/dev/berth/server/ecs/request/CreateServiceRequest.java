package dev.berth.server.ecs.request;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.shape.DeploymentController;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.PlacementConstraint;
import dev.berth.server.ecs.shape.PlacementStrategy;
import dev.berth.server.ecs.shape.ServiceRegistry;
import dev.berth.server.ecs.state.Tag;
import java.util.List;

/** ECS's {@code CreateServiceRequest}. */
public record CreateServiceRequest(
    String cluster,
    String serviceName,
    String taskDefinition,
    List<LoadBalancer> loadBalancers,
    List<ServiceRegistry> serviceRegistries,
    Integer desiredCount,
    String clientToken,
    String launchType,
    List<CapacityProviderStrategyItem> capacityProviderStrategy,
    String role,
    DeploymentConfiguration deploymentConfiguration,
    List<PlacementConstraint> placementConstraints,
    List<PlacementStrategy> placementStrategy,
    NetworkConfiguration networkConfiguration,
    Integer healthCheckGracePeriodSeconds,
    String schedulingStrategy,
    DeploymentController deploymentController,
    List<Tag> tags,
    Boolean enableECSManagedTags,
    String propagateTags,
    Boolean enableExecuteCommand) {}
