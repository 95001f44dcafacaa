package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What CreateService and UpdateService set on a service, as checked and completed with ECS's
 * defaults: the task definition its primary deployment runs, how many tasks it wants, how it
 * deploys and places them, and what it hands on to its tasks. JSON members hold ECS shapes
 * verbatim.
 *
 * @param desiredCount the tasks a REPLICA service wants (a DAEMON service: its instances)
 * @param taskDefinition the ARN of the task definition of the primary deployment
 * @param launchType EC2 or EXTERNAL
 * @param capacityProviderStrategy ECS's strategy list as given, or null
 * @param schedulingStrategy REPLICA or DAEMON
 * @param deploymentConfiguration ECS's DeploymentConfiguration with every default filled in
 * @param placementConstraints the service's placement constraints list
 * @param placementStrategy the service's placement strategy list
 * @param loadBalancers the load balancers list, stored for the load balancer integration
 * @param serviceRegistries the service registries list, stored for service discovery
 * @param healthCheckGracePeriodSeconds how long after a task starts its health is not acted on
 * @param deploymentController ECS's DeploymentController
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
    JsonNode capacityProviderStrategy,
    String schedulingStrategy,
    JsonNode deploymentConfiguration,
    JsonNode placementConstraints,
    JsonNode placementStrategy,
    JsonNode loadBalancers,
    JsonNode serviceRegistries,
    Integer healthCheckGracePeriodSeconds,
    JsonNode deploymentController,
    JsonNode networkConfiguration,
    String propagateTags,
    boolean enableECSManagedTags,
    boolean enableExecuteCommand,
    String roleArn) {

  /** The scheduling strategy that keeps a number of tasks. */
  public static final String REPLICA = "REPLICA";

  /** The scheduling strategy that runs one task on every instance that meets the constraints. */
  public static final String DAEMON = "DAEMON";

  /** Creates settings; a JSON null member counts as absent. */
  @JsonCreator
  public ServiceSettings {
    requireNonNull(taskDefinition);
    requireNonNull(launchType);
    requireNonNull(schedulingStrategy);
    requireNonNull(deploymentConfiguration);
    requireNonNull(propagateTags);
    capacityProviderStrategy = absentIfNull(capacityProviderStrategy);
    placementConstraints = absentIfNull(placementConstraints);
    placementStrategy = absentIfNull(placementStrategy);
    loadBalancers = absentIfNull(loadBalancers);
    serviceRegistries = absentIfNull(serviceRegistries);
    deploymentController = absentIfNull(deploymentController);
    networkConfiguration = absentIfNull(networkConfiguration);
  }

  /** Creates settings without an IAM role, as a service without a classic role has. */
  public ServiceSettings(
      int desiredCount,
      String taskDefinition,
      String launchType,
      JsonNode capacityProviderStrategy,
      String schedulingStrategy,
      JsonNode deploymentConfiguration,
      JsonNode placementConstraints,
      JsonNode placementStrategy,
      JsonNode loadBalancers,
      JsonNode serviceRegistries,
      Integer healthCheckGracePeriodSeconds,
      JsonNode deploymentController,
      JsonNode networkConfiguration,
      String propagateTags,
      boolean enableECSManagedTags,
      boolean enableExecuteCommand) {
    this(
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
        null);
  }

  /** Returns true for a DAEMON service. */
  public boolean daemon() {
    return DAEMON.equals(schedulingStrategy);
  }

  /** Returns the minimum healthy percent of the deployment configuration. */
  public int minimumHealthyPercent() {
    return deploymentConfiguration.path("minimumHealthyPercent").asInt();
  }

  /** Returns the maximum percent of the deployment configuration. */
  public int maximumPercent() {
    return deploymentConfiguration.path("maximumPercent").asInt();
  }

  /** Returns true if the deployment circuit breaker is enabled. */
  public boolean circuitBreaker() {
    return deploymentConfiguration.path("deploymentCircuitBreaker").path("enable").asBoolean();
  }

  /** Returns true if the circuit breaker rolls a failed deployment back. */
  public boolean rollback() {
    return deploymentConfiguration.path("deploymentCircuitBreaker").path("rollback").asBoolean();
  }

  /** Returns the grace period after a task starts, in milliseconds (zero when unset). */
  public long gracePeriodMillis() {
    return healthCheckGracePeriodSeconds == null ? 0 : healthCheckGracePeriodSeconds * 1000L;
  }

  /** Returns a copy with another desired count. */
  public ServiceSettings withDesiredCount(int count) {
    return new ServiceSettings(
        count,
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

  /** Returns a copy with another task definition. */
  public ServiceSettings withTaskDefinition(String arn) {
    return new ServiceSettings(
        desiredCount,
        arn,
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

  private static JsonNode absentIfNull(JsonNode member) {
    return member == null || member.isNull() ? null : member;
  }
}
