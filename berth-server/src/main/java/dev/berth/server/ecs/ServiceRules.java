package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Arn;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.request.CreateServiceRequest;
import dev.berth.server.ecs.request.UpdateServiceRequest;
import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.shape.DeploymentController;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.PlacementConstraint;
import dev.berth.server.ecs.shape.PlacementStrategy;
import dev.berth.server.ecs.shape.ServiceRegistry;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.TaskDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ECS's rules for the members of CreateService and UpdateService that the model alone does not
 * check: names, scheduling strategy and desired count, deployment configuration with its defaults,
 * placement, load balancers and service registries.
 */
final class ServiceRules {
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");

  private ServiceRules() {}

  /** Checks a service name. */
  static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw EcsErrors.invalidParameter(
          "Invalid service name. Up to 255 letters (uppercase and lowercase), numbers, underscores,"
              + " and hyphens are allowed.");
    }
    return name;
  }

  /** Returns the scheduling strategy, REPLICA unless DAEMON is asked. */
  static String schedulingStrategy(String strategy) {
    return strategy == null ? ServiceSettings.REPLICA : strategy;
  }

  /**
   * Checks the desired count for the strategy; returns it (zero for DAEMON until instances count).
   */
  static int desiredCount(Integer count, String strategy) {
    if (ServiceSettings.DAEMON.equals(strategy)) {
      if (count != null) {
        throw EcsErrors.invalidParameter(
            "The daemon scheduling strategy does not support a desired count for services.");
      }
      return 0;
    }
    if (count == null) {
      throw EcsErrors.invalidParameter(
          "The desiredCount parameter is required for services using the REPLICA scheduling"
              + " strategy.");
    }
    return checkDesiredCount(count);
  }

  /**
   * Returns the settings a CreateService asks for, each member checked and ECS's defaults filled
   * in.
   */
  static ServiceSettings settings(
      CreateServiceRequest input,
      String strategy,
      TaskDefinition definition,
      RequestContext context) {
    return ServiceSettings.builder(definition.arn())
        .desiredCount(desiredCount(input.desiredCount(), strategy))
        .launchType(launchType(input.launchType(), input.capacityProviderStrategy()))
        .capacityProviderStrategy(input.capacityProviderStrategy())
        .schedulingStrategy(strategy)
        .deploymentConfiguration(
            deploymentConfiguration(null, input.deploymentConfiguration(), strategy))
        .placementConstraints(placementConstraints(input.placementConstraints(), definition))
        .placementStrategy(placementStrategy(input.placementStrategy(), strategy))
        .loadBalancers(loadBalancers(input.loadBalancers(), definition))
        .serviceRegistries(serviceRegistries(input.serviceRegistries(), definition))
        .healthCheckGracePeriodSeconds(gracePeriod(input.healthCheckGracePeriodSeconds()))
        .deploymentController(deploymentController(input.deploymentController()))
        .networkConfiguration(networkConfiguration(input.networkConfiguration(), definition))
        .propagateTags(orElse(input.propagateTags(), "NONE"))
        .enableECSManagedTags(orElse(input.enableECSManagedTags(), false))
        .enableExecuteCommand(orElse(input.enableExecuteCommand(), false))
        .roleArn(roleArn(context, input.role()))
        .build();
  }

  /**
   * Returns a service's settings with the changes an UpdateService asks for, each checked against
   * the task definition the service will run; members the request leaves out stay as they are.
   */
  static ServiceSettings updated(
      ServiceSettings settings,
      UpdateServiceRequest input,
      int desired,
      TaskDefinition definition) {
    String strategy = settings.schedulingStrategy();
    ServiceSettings.Builder changes =
        settings.toBuilder().desiredCount(desired).taskDefinition(definition.arn());
    if (input.capacityProviderStrategy() != null) {
      changes.capacityProviderStrategy(input.capacityProviderStrategy());
    }
    changes.deploymentConfiguration(
        deploymentConfiguration(
            settings.deploymentConfiguration(), input.deploymentConfiguration(), strategy));
    if (input.placementConstraints() != null) {
      changes.placementConstraints(placementConstraints(input.placementConstraints(), definition));
    }
    if (input.placementStrategy() != null) {
      changes.placementStrategy(placementStrategy(input.placementStrategy(), strategy));
    }
    if (input.loadBalancers() != null) {
      changes.loadBalancers(loadBalancers(input.loadBalancers(), definition));
    }
    if (input.serviceRegistries() != null) {
      changes.serviceRegistries(serviceRegistries(input.serviceRegistries(), definition));
    }
    if (input.healthCheckGracePeriodSeconds() != null) {
      changes.healthCheckGracePeriodSeconds(gracePeriod(input.healthCheckGracePeriodSeconds()));
    }
    return changes
        .networkConfiguration(
            networkConfiguration(
                orElse(input.networkConfiguration(), settings.networkConfiguration()), definition))
        .propagateTags(orElse(input.propagateTags(), settings.propagateTags()))
        .enableECSManagedTags(orElse(input.enableECSManagedTags(), settings.enableECSManagedTags()))
        .enableExecuteCommand(orElse(input.enableExecuteCommand(), settings.enableExecuteCommand()))
        .build();
  }

  /** Returns a member of a request, or the fallback when the request leaves it out. */
  static <T> T orElse(T member, T fallback) {
    return member != null ? member : fallback;
  }

  /** Checks a desired count. */
  static int checkDesiredCount(int count) {
    if (count < 0) {
      throw EcsErrors.invalidParameter("desiredCount cannot be negative.");
    }
    return count;
  }

  /**
   * Returns the launch type of a CreateService, UpdateService or RunTask (EC2 unless EXTERNAL),
   * refusing what Berth does not run.
   */
  static String launchType(
      String launchType, List<CapacityProviderStrategyItem> capacityProviderStrategy) {
    if (launchType != null
        && capacityProviderStrategy != null
        && !capacityProviderStrategy.isEmpty()) {
      throw EcsErrors.invalidParameter(
          "Specifying both a launchType and capacityProviderStrategy is not supported. Remove one"
              + " and try again.");
    }
    if (launchType == null) {
      return "EC2";
    }
    if (!launchType.equals("EC2") && !launchType.equals("EXTERNAL")) {
      throw EcsErrors.unsupported(
          "Berth runs tasks on EC2 and EXTERNAL container instances only; launch type "
              + launchType
              + " is not supported.");
    }
    return launchType;
  }

  /** Refuses deployment controllers other than ECS's rolling one; returns the controller. */
  static DeploymentController deploymentController(DeploymentController controller) {
    String type = controller == null ? "ECS" : controller.type();
    if (!"ECS".equals(type)) {
      throw EcsErrors.unsupported(
          "Berth supports the ECS deployment controller only, not " + type + ".");
    }
    return ServiceSettings.ECS;
  }

  /**
   * Returns the deployment configuration with the changes applied and ECS's defaults filled in
   * (REPLICA: 100% minimum healthy, 200% maximum; DAEMON: 0% and 100%; circuit breaker off).
   */
  static DeploymentConfiguration deploymentConfiguration(
      DeploymentConfiguration current, DeploymentConfiguration changes, String strategy) {
    boolean daemon = ServiceSettings.DAEMON.equals(strategy);
    DeploymentConfiguration merged =
        ServiceSettings.defaultDeploymentConfiguration(strategy).with(current).with(changes);
    String deploymentStrategy = merged.strategy();
    if (deploymentStrategy != null && !deploymentStrategy.equals("ROLLING")) {
      throw EcsErrors.unsupported(
          "Berth supports the ROLLING deployment strategy only, not " + deploymentStrategy + ".");
    }
    if (merged.alarms() != null && merged.alarms().enable()) {
      throw EcsErrors.unsupported("Berth does not support CloudWatch alarms on deployments.");
    }
    int minimum = merged.minimumHealthyPercent();
    int maximum = merged.maximumPercent();
    if (minimum < 0 || minimum > 100) {
      throw EcsErrors.invalidParameter(
          "minimumHealthyPercent must be between 0 and 100, not " + minimum + ".");
    }
    if (daemon && maximum != 100) {
      throw EcsErrors.invalidParameter(
          "The maximumPercent of a service using the DAEMON scheduling strategy must be 100.");
    }
    if (maximum < 100) {
      throw EcsErrors.invalidParameter("maximumPercent must be at least 100, not " + maximum + ".");
    }
    return merged;
  }

  /** Checks placement constraints as ECS does, with the task definition's counted too. */
  static List<PlacementConstraint> placementConstraints(
      List<PlacementConstraint> constraints, TaskDefinition definition) {
    int total =
        dev.berth.server.scheduler.PlacementConstraint.fromShapes(constraints).size()
            + definition.body().path("placementConstraints").size();
    if (total > dev.berth.server.scheduler.PlacementConstraint.MAX) {
      throw EcsErrors.invalidParameter(
          "The number of placement constraints must not exceed "
              + dev.berth.server.scheduler.PlacementConstraint.MAX
              + ".");
    }
    return constraints == null ? List.of() : constraints;
  }

  /** Checks placement strategies; DAEMON services take none. */
  static List<PlacementStrategy> placementStrategy(
      List<PlacementStrategy> strategies, String strategy) {
    if (strategies != null && !strategies.isEmpty() && ServiceSettings.DAEMON.equals(strategy)) {
      throw EcsErrors.invalidParameter(
          "Placement strategies are not supported with the DAEMON scheduling strategy.");
    }
    dev.berth.server.scheduler.PlacementStrategy.fromShapes(strategies, List.of());
    return strategies == null ? List.of() : strategies;
  }

  /**
   * Checks load balancers against the task definition: each names a target group (or a classic load
   * balancer) and a container and port the task definition maps.
   */
  static List<LoadBalancer> loadBalancers(
      List<LoadBalancer> loadBalancers, TaskDefinition definition) {
    if (loadBalancers == null) {
      return List.of();
    }
    if (loadBalancers.size() > 5) {
      throw EcsErrors.invalidParameter("A service can have at most 5 load balancers.");
    }
    Set<String> seen = new HashSet<>();
    for (LoadBalancer loadBalancer : loadBalancers) {
      String targetGroup = loadBalancer.targetGroupArn();
      String name = loadBalancer.loadBalancerName();
      if (targetGroup == null && name == null) {
        throw EcsErrors.invalidParameter(
            "A load balancer needs a targetGroupArn or a loadBalancerName.");
      }
      if (targetGroup != null) {
        Arn arn = Arn.parse(targetGroup);
        if (arn == null
            || !"elasticloadbalancing".equals(arn.service())
            || !"targetgroup".equals(arn.resourceType())) {
          throw EcsErrors.invalidParameter("Invalid target group ARN: " + targetGroup + ".");
        }
      }
      String container = loadBalancer.containerName();
      Integer port = loadBalancer.containerPort();
      if (container == null || port == null) {
        throw EcsErrors.invalidParameter(
            "A load balancer needs a containerName and a containerPort.");
      }
      requireMappedPort(definition, container, port);
      if (!seen.add((targetGroup != null ? targetGroup : name) + "|" + container + "|" + port)) {
        throw EcsErrors.invalidParameter("A load balancer is given twice.");
      }
    }
    return loadBalancers;
  }

  /** Checks service registries: at most one, with a Cloud Map service ARN. */
  static List<ServiceRegistry> serviceRegistries(
      List<ServiceRegistry> registries, TaskDefinition definition) {
    if (registries == null) {
      return List.of();
    }
    if (registries.size() > 1) {
      throw EcsErrors.invalidParameter("A service can have at most one service registry.");
    }
    for (ServiceRegistry registry : registries) {
      String registryArn = registry.registryArn();
      Arn arn = registryArn == null ? null : Arn.parse(registryArn);
      if (arn == null || !"servicediscovery".equals(arn.service())) {
        throw EcsErrors.invalidParameter(
            "A service registry needs the registryArn of a Cloud Map service.");
      }
      String container = registry.containerName();
      Integer port = registry.containerPort();
      if (container != null && port != null) {
        requireMappedPort(definition, container, port);
      } else if (container != null || port != null) {
        throw EcsErrors.invalidParameter(
            "A service registry names a containerName and a containerPort together, or neither.");
      }
    }
    return registries;
  }

  /**
   * Returns the ARN of the IAM role CreateService names: an ARN as given, a name (with its path,
   * e.g. {@code /ecs/web-role}) as a role of the request's account; null if none is given.
   */
  static String roleArn(RequestContext context, String role) {
    if (role == null || role.isEmpty()) {
      return null;
    }
    if (Arn.looksLikeArn(role)) {
      return role;
    }
    String path = role.startsWith("/") ? role.substring(1) : role;
    return "arn:aws:iam::" + context.accountId() + ":role/" + path;
  }

  /**
   * Returns the network configuration of a CreateService, UpdateService, RunTask or StartTask,
   * refusing, as ECS does, a task definition of network mode awsvpc without an awsvpcConfiguration.
   */
  static NetworkConfiguration networkConfiguration(
      NetworkConfiguration configuration, TaskDefinition definition) {
    boolean given = configuration != null && configuration.awsvpcConfiguration() != null;
    if (!given && "awsvpc".equals(definition.body().path("networkMode").asText())) {
      throw EcsErrors.invalidParameter(
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    return configuration;
  }

  /** Checks the health check grace period. */
  static Integer gracePeriod(Integer seconds) {
    if (seconds != null && seconds < 0) {
      throw EcsErrors.invalidParameter("healthCheckGracePeriodSeconds cannot be negative.");
    }
    return seconds;
  }

  private static void requireMappedPort(TaskDefinition definition, String container, int port) {
    for (JsonNode candidate : definition.body().path("containerDefinitions")) {
      if (!container.equals(candidate.path("name").asText())) {
        continue;
      }
      for (JsonNode mapping : candidate.path("portMappings")) {
        if (mapping.path("containerPort").asInt(-1) == port) {
          return;
        }
      }
      throw EcsErrors.invalidParameter(
          "The container " + container + " did not have a container port " + port + " defined.");
    }
    throw EcsErrors.invalidParameter(
        "The container " + container + " does not exist in the task definition.");
  }
}
