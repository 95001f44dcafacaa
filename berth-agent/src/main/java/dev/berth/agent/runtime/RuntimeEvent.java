package dev.berth.agent.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A container event from the Docker engine. The attributes are Docker's: the container's labels,
 * its {@code name} and {@code image}. The exit code is set for {@link Type#DIE} and the health for
 * {@link Type#HEALTH_STATUS}.
 */
public record RuntimeEvent(
    Type type,
    String containerId,
    Map<String, String> attributes,
    Integer exitCode,
    HealthStatus health,
    Instant time) {
  /** What happened. */
  public enum Type {
    START,
    DIE,
    HEALTH_STATUS,
    OOM,
    DESTROY,
    /**
     * The event stream broke (the daemon went away): events may have been missed, so the listener
     * should list and inspect its containers again and subscribe anew.
     */
    DISCONNECTED
  }

  /** Copies the attributes. */
  public RuntimeEvent {
    attributes = Map.copyOf(attributes);
  }
}
