package dev.berth.server.ecs.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * ECS's {@code DeploymentConfiguration} of a service: how many tasks a rolling deployment keeps and
 * adds, and whether its circuit breaker stops it. Members Berth does not act on are kept as given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentConfiguration(
    DeploymentCircuitBreaker deploymentCircuitBreaker,
    Integer maximumPercent,
    Integer minimumHealthyPercent,
    DeploymentAlarms alarms,
    String strategy,
    Integer bakeTimeInMinutes,
    List<DeploymentLifecycleHook> lifecycleHooks,
    LinearConfiguration linearConfiguration,
    CanaryConfiguration canaryConfiguration) {

  /** Creates the shape; the hooks are copied, absent ones stay absent. */
  public DeploymentConfiguration {
    lifecycleHooks = lifecycleHooks == null ? null : List.copyOf(lifecycleHooks);
  }

  /** Returns a configuration of the percentages and circuit breaker given, nothing else set. */
  public static DeploymentConfiguration of(
      int minimumHealthyPercent, int maximumPercent, DeploymentCircuitBreaker circuitBreaker) {
    return new DeploymentConfiguration(
        circuitBreaker, maximumPercent, minimumHealthyPercent, null, null, null, null, null, null);
  }

  /**
   * Returns this configuration with every member the changes give replacing this one's, as
   * UpdateService applies a partial configuration; null changes change nothing.
   */
  public DeploymentConfiguration with(DeploymentConfiguration changes) {
    if (changes == null) {
      return this;
    }
    return new DeploymentConfiguration(
        or(changes.deploymentCircuitBreaker, deploymentCircuitBreaker),
        or(changes.maximumPercent, maximumPercent),
        or(changes.minimumHealthyPercent, minimumHealthyPercent),
        or(changes.alarms, alarms),
        or(changes.strategy, strategy),
        or(changes.bakeTimeInMinutes, bakeTimeInMinutes),
        or(changes.lifecycleHooks, lifecycleHooks),
        or(changes.linearConfiguration, linearConfiguration),
        or(changes.canaryConfiguration, canaryConfiguration));
  }

  /** Returns true if the circuit breaker is enabled. */
  public boolean circuitBreakerEnabled() {
    return deploymentCircuitBreaker != null && deploymentCircuitBreaker.enable();
  }

  /** Returns true if the circuit breaker rolls a failed deployment back. */
  public boolean rollsBack() {
    return deploymentCircuitBreaker != null && deploymentCircuitBreaker.rollback();
  }

  private static <T> T or(T change, T current) {
    return change != null ? change : current;
  }
}
