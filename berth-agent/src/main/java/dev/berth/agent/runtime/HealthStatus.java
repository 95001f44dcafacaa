package dev.berth.agent.runtime;

/** A container's health as ECS names it. */
public enum HealthStatus {
  HEALTHY,
  UNHEALTHY,
  /** No health check, or it has not decided yet. */
  UNKNOWN;

  /** Returns the status for Docker's health status text ({@code healthy}, {@code starting}...). */
  public static HealthStatus fromDocker(String status) {
    if (status == null) {
      return UNKNOWN;
    }
    return switch (status.trim()) {
      case "healthy" -> HEALTHY;
      case "unhealthy" -> UNHEALTHY;
      default -> UNKNOWN;
    };
  }
}
