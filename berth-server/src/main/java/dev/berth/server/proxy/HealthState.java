package dev.berth.server.proxy;

/**
 * The health check state machine of one target, as ELB runs it: a new target is {@code initial} and
 * becomes {@code healthy} on its first passed check, or {@code unhealthy} after the unhealthy
 * threshold of consecutive failures; a healthy target turns unhealthy after that many failures in a
 * row, an unhealthy one healthy after the healthy threshold of passes in a row. Not thread-safe:
 * its owner serializes the calls.
 */
final class HealthState {
  private String state = "initial";
  private String reason = "Elb.RegistrationInProgress";
  private String description = "Target registration is in progress";
  private int passes;
  private int failures;

  /** Records a passed check; returns true if the target's routability changed. */
  boolean pass(int healthyThreshold) {
    failures = 0;
    passes++;
    boolean wasHealthy = isHealthy();
    if (state.equals("initial") || passes >= healthyThreshold) {
      state = TargetHealth.HEALTHY;
      reason = null;
      description = null;
    }
    return wasHealthy != isHealthy();
  }

  /**
   * Records a failed check with ELB's reason code and description; returns true if the target's
   * routability changed.
   */
  boolean fail(String failureReason, String failureDescription, int unhealthyThreshold) {
    passes = 0;
    failures++;
    boolean wasHealthy = isHealthy();
    if (failures >= unhealthyThreshold) {
      state = "unhealthy";
      reason = failureReason;
      description = failureDescription;
    } else if (state.equals("initial")) {
      reason = "Elb.InitialHealthChecking";
      description = "Initial health checks in progress";
    } else if (state.equals("unhealthy")) {
      reason = failureReason;
      description = failureDescription;
    }
    return wasHealthy != isHealthy();
  }

  /** Returns true if the target passed its checks. */
  boolean isHealthy() {
    return state.equals(TargetHealth.HEALTHY);
  }

  /** Returns the state as ELB reports it. */
  TargetHealth report() {
    return new TargetHealth(state, reason, description);
  }
}
