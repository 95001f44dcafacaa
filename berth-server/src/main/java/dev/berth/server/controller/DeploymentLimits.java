package dev.berth.server.controller;

/**
 * ECS's deployment arithmetic: how many healthy tasks a deployment must keep, how many tasks it may
 * run at most, and after how many failed tasks the circuit breaker trips.
 */
public final class DeploymentLimits {
  /** The fewest failed tasks that trip the circuit breaker. */
  public static final int MIN_FAILURE_THRESHOLD = 3;

  /** The most failed tasks the circuit breaker waits for. */
  public static final int MAX_FAILURE_THRESHOLD = 200;

  private DeploymentLimits() {}

  /** Returns the healthy tasks to keep: minimumHealthyPercent of desired, rounded up. */
  public static int minimumHealthy(int desired, int minimumHealthyPercent) {
    return (int) Math.ceil(desired * (double) minimumHealthyPercent / 100);
  }

  /** Returns the most tasks allowed at once: maximumPercent of desired, rounded down. */
  public static int maximum(int desired, int maximumPercent) {
    return (int) Math.floor(desired * (double) maximumPercent / 100);
  }

  /**
   * Returns the circuit breaker's failure threshold: half the desired count (rounded up), at least
   * 3 and at most 200.
   */
  public static int failureThreshold(int desired) {
    int half = (int) Math.ceil(desired * 0.5);
    return Math.max(MIN_FAILURE_THRESHOLD, Math.min(MAX_FAILURE_THRESHOLD, half));
  }
}
