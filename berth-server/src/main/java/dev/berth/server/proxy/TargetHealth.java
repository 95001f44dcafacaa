package dev.berth.server.proxy;

import static java.util.Objects.requireNonNull;

/**
 * A target's health as ELB reports it: the state ({@code initial}, {@code healthy}, {@code
 * unhealthy}, {@code draining}, {@code unused}) and, except when healthy, a reason code such as
 * {@code Target.Timeout} with a description.
 */
public record TargetHealth(String state, String reason, String description) {
  /** The state of a target that passed its health checks. */
  public static final String HEALTHY = "healthy";

  /** Creates a health report; reason and description may be null. */
  public TargetHealth {
    requireNonNull(state);
  }

  /** Returns the health of a target that is not registered in the target group. */
  public static TargetHealth notRegistered() {
    return new TargetHealth(
        "unused", "Target.NotRegistered", "Target is not registered to the target group");
  }

  /** Returns the health of a target whose target group no listener routes to. */
  public static TargetHealth notInUse() {
    return new TargetHealth(
        "unused",
        "Target.NotInUse",
        "Target group is not configured to receive traffic from the load balancer");
  }

  /** Returns the health of a target being deregistered. */
  public static TargetHealth draining() {
    return new TargetHealth(
        "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress");
  }

  /** Returns true if the target takes new requests. */
  public boolean isHealthy() {
    return HEALTHY.equals(state);
  }
}
