package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.shape.CapacityProviderStrategyItem;
import dev.berth.server.ecs.shape.DeploymentCircuitBreaker;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import dev.berth.server.ecs.shape.DeploymentController;
import dev.berth.server.ecs.shape.LoadBalancer;
import dev.berth.server.ecs.shape.NetworkConfiguration;
import dev.berth.server.ecs.shape.PlacementConstraint;
import dev.berth.server.ecs.shape.PlacementStrategy;
import dev.berth.server.ecs.shape.ServiceRegistry;
import java.util.List;

/**
 * What CreateService and UpdateService set on a service, as checked and completed with ECS's
 * defaults: the task definition its primary deployment runs, how many tasks it wants, how it
 * deploys and places them, and what it hands on to its tasks. Members of ECS's shapes are kept as
 * given, so that DescribeServices answers them back; {@link #builder} makes settings with ECS's
 * defaults for the members not set.
 *
 * @param desiredCount the tasks a REPLICA service wants (a DAEMON service: its instances)
 * @param taskDefinition the ARN of the task definition of the primary deployment
 * @param launchType EC2 or EXTERNAL
 * @param capacityProviderStrategy ECS's strategy list as given, or null if none was
 * @param schedulingStrategy REPLICA or DAEMON
 * @param deploymentConfiguration ECS's DeploymentConfiguration with every default filled in
 * @param placementConstraints the service's placement constraints, perhaps none
 * @param placementStrategy the service's placement strategies, perhaps none
 * @param loadBalancers the load balancers tasks are registered with, perhaps none
 * @param serviceRegistries the Cloud Map services tasks are registered in, perhaps none
 * @param healthCheckGracePeriodSeconds how long after a task starts its health is not acted on
 * @param deploymentController ECS's DeploymentController (Berth: ECS)
 * @param networkConfiguration ECS's NetworkConfiguration as given, or null
 * @param propagateTags NONE, SERVICE or TASK_DEFINITION
 * @param enableECSManagedTags whether tasks get the aws:ecs:* tags
 * @param enableExecuteCommand whether tasks are started with execute command enabled
 * @param roleArn the ARN of the IAM role CreateService was given for its load balancers, or null
 */
public record ServiceSettings(
    int desiredCount,
    String taskDefinition,
    String launchType,
    List<CapacityProviderStrategyItem> capacityProviderStrategy,
    String schedulingStrategy,
    DeploymentConfiguration deploymentConfiguration,
    List<PlacementConstraint> placementConstraints,
    List<PlacementStrategy> placementStrategy,
    List<LoadBalancer> loadBalancers,
    List<ServiceRegistry> serviceRegistries,
    Integer healthCheckGracePeriodSeconds,
    DeploymentController deploymentController,
    NetworkConfiguration networkConfiguration,
    String propagateTags,
    boolean enableECSManagedTags,
    boolean enableExecuteCommand,
    String roleArn) {

  /** The scheduling strategy that keeps a number of tasks. */
  public static final String REPLICA = "REPLICA";

  /** The scheduling strategy that runs one task on every instance that meets the constraints. */
  public static final String DAEMON = "DAEMON";

  /** ECS's rolling deployment controller, the one Berth has. */
  public static final DeploymentController ECS = new DeploymentController("ECS");

  /**
   * Creates settings. The deployment configuration gets ECS's defaults for the members it lacks;
   * absent placement, load balancer and registry lists are empty (stored services of earlier
   * versions hold JSON nulls there), and the lists are copied.
   */
  public ServiceSettings {
    requireNonNull(taskDefinition);
    requireNonNull(launchType);
    requireNonNull(schedulingStrategy);
    requireNonNull(propagateTags);
    deploymentConfiguration =
        defaultDeploymentConfiguration(schedulingStrategy).with(deploymentConfiguration);
    capacityProviderStrategy =
        capacityProviderStrategy == null ? null : List.copyOf(capacityProviderStrategy);
    placementConstraints = listOrNone(placementConstraints);
    placementStrategy = listOrNone(placementStrategy);
    loadBalancers = listOrNone(loadBalancers);
    serviceRegistries = listOrNone(serviceRegistries);
    deploymentController = deploymentController == null ? ECS : deploymentController;
  }

  /**
   * Returns ECS's default deployment configuration for a scheduling strategy: REPLICA 100% minimum
   * healthy and 200% maximum, DAEMON 0% and 100%; the circuit breaker off.
   */
  public static DeploymentConfiguration defaultDeploymentConfiguration(String schedulingStrategy) {
    boolean daemon = DAEMON.equals(schedulingStrategy);
    return DeploymentConfiguration.of(
        daemon ? 0 : 100, daemon ? 100 : 200, new DeploymentCircuitBreaker(false, false));
  }

  /**
   * Returns a builder of settings for a task definition ARN: a REPLICA service of no task on EC2,
   * deployed and placed by ECS's defaults, with nothing attached and no tags propagated.
   */
  public static Builder builder(String taskDefinition) {
    return new Builder(taskDefinition);
  }

  /** Returns a builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns true for a DAEMON service. */
  public boolean daemon() {
    return DAEMON.equals(schedulingStrategy);
  }

  /** Returns the minimum healthy percent of the deployment configuration. */
  public int minimumHealthyPercent() {
    return deploymentConfiguration.minimumHealthyPercent();
  }

  /** Returns the maximum percent of the deployment configuration. */
  public int maximumPercent() {
    return deploymentConfiguration.maximumPercent();
  }

  /** Returns true if the deployment circuit breaker is enabled. */
  public boolean circuitBreaker() {
    return deploymentConfiguration.circuitBreakerEnabled();
  }

  /** Returns true if the circuit breaker rolls a failed deployment back. */
  public boolean rollback() {
    return deploymentConfiguration.rollsBack();
  }

  /** Returns the grace period after a task starts, in milliseconds (zero when unset). */
  public long gracePeriodMillis() {
    return healthCheckGracePeriodSeconds == null ? 0 : healthCheckGracePeriodSeconds * 1000L;
  }

  /** Returns a copy with another desired count. */
  public ServiceSettings withDesiredCount(int count) {
    return toBuilder().desiredCount(count).build();
  }

  /** Returns a copy with another task definition. */
  public ServiceSettings withTaskDefinition(String arn) {
    return toBuilder().taskDefinition(arn).build();
  }

  private static <T> List<T> listOrNone(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Builds settings member by member; members not set keep the value the builder started from. */
  public static final class Builder {
    private int desiredCount;
    private String taskDefinition;
    private String launchType = "EC2";
    private List<CapacityProviderStrategyItem> capacityProviderStrategy;
    private String schedulingStrategy = REPLICA;
    private DeploymentConfiguration deploymentConfiguration;
    private List<PlacementConstraint> placementConstraints;
    private List<PlacementStrategy> placementStrategy;
    private List<LoadBalancer> loadBalancers;
    private List<ServiceRegistry> serviceRegistries;
    private Integer healthCheckGracePeriodSeconds;
    private DeploymentController deploymentController;
    private NetworkConfiguration networkConfiguration;
    private String propagateTags = "NONE";
    private boolean enableECSManagedTags;
    private boolean enableExecuteCommand;
    private String roleArn;

    private Builder(String taskDefinition) {
      this.taskDefinition = requireNonNull(taskDefinition);
    }

    private Builder(ServiceSettings settings) {
      desiredCount = settings.desiredCount;
      taskDefinition = settings.taskDefinition;
      launchType = settings.launchType;
      capacityProviderStrategy = settings.capacityProviderStrategy;
      schedulingStrategy = settings.schedulingStrategy;
      deploymentConfiguration = settings.deploymentConfiguration;
      placementConstraints = settings.placementConstraints;
      placementStrategy = settings.placementStrategy;
      loadBalancers = settings.loadBalancers;
      serviceRegistries = settings.serviceRegistries;
      healthCheckGracePeriodSeconds = settings.healthCheckGracePeriodSeconds;
      deploymentController = settings.deploymentController;
      networkConfiguration = settings.networkConfiguration;
      propagateTags = settings.propagateTags;
      enableECSManagedTags = settings.enableECSManagedTags;
      enableExecuteCommand = settings.enableExecuteCommand;
      roleArn = settings.roleArn;
    }

    /** Sets the desired count. */
    public Builder desiredCount(int value) {
      desiredCount = value;
      return this;
    }

    /** Sets the task definition ARN. */
    public Builder taskDefinition(String value) {
      taskDefinition = requireNonNull(value);
      return this;
    }

    /** Sets the launch type. */
    public Builder launchType(String value) {
      launchType = requireNonNull(value);
      return this;
    }

    /** Sets the capacity provider strategy; null for none given. */
    public Builder capacityProviderStrategy(List<CapacityProviderStrategyItem> value) {
      capacityProviderStrategy = value;
      return this;
    }

    /** Sets the scheduling strategy, REPLICA or DAEMON. */
    public Builder schedulingStrategy(String value) {
      schedulingStrategy = requireNonNull(value);
      return this;
    }

    /** Sets the deployment configuration; ECS's defaults fill in what it lacks. */
    public Builder deploymentConfiguration(DeploymentConfiguration value) {
      deploymentConfiguration = value;
      return this;
    }

    /** Sets the placement constraints. */
    public Builder placementConstraints(List<PlacementConstraint> value) {
      placementConstraints = value;
      return this;
    }

    /** Sets the placement strategies. */
    public Builder placementStrategy(List<PlacementStrategy> value) {
      placementStrategy = value;
      return this;
    }

    /** Sets the load balancers. */
    public Builder loadBalancers(List<LoadBalancer> value) {
      loadBalancers = value;
      return this;
    }

    /** Sets the service registries. */
    public Builder serviceRegistries(List<ServiceRegistry> value) {
      serviceRegistries = value;
      return this;
    }

    /** Sets the health check grace period in seconds; null for none. */
    public Builder healthCheckGracePeriodSeconds(Integer value) {
      healthCheckGracePeriodSeconds = value;
      return this;
    }

    /** Sets the deployment controller. */
    public Builder deploymentController(DeploymentController value) {
      deploymentController = value;
      return this;
    }

    /** Sets the network configuration; null for none. */
    public Builder networkConfiguration(NetworkConfiguration value) {
      networkConfiguration = value;
      return this;
    }

    /** Sets how tags propagate to tasks: NONE, SERVICE or TASK_DEFINITION. */
    public Builder propagateTags(String value) {
      propagateTags = requireNonNull(value);
      return this;
    }

    /** Sets whether tasks get the aws:ecs:* tags. */
    public Builder enableECSManagedTags(boolean value) {
      enableECSManagedTags = value;
      return this;
    }

    /** Sets whether tasks start with execute command enabled. */
    public Builder enableExecuteCommand(boolean value) {
      enableExecuteCommand = value;
      return this;
    }

    /** Sets the ARN of the service's IAM role; null for none. */
    public Builder roleArn(String value) {
      roleArn = value;
      return this;
    }

    /** Returns the settings. */
    public ServiceSettings build() {
      return new ServiceSettings(
          desiredCount,
          taskDefinition,
          launchType,
          capacityProviderStrategy,
          schedulingStrategy,
          deploymentConfiguration,
          placementConstraints,
          placementStrategy,
          loadBalancers,
          serviceRegistries,
          healthCheckGracePeriodSeconds,
          deploymentController,
          networkConfiguration,
          propagateTags,
          enableECSManagedTags,
          enableExecuteCommand,
          roleArn);
    }
  }
}
