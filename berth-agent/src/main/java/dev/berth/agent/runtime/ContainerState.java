package dev.berth.agent.runtime;

import java.util.Locale;

/** A Docker container's state. */
public enum ContainerState {
  CREATED,
  RUNNING,
  PAUSED,
  RESTARTING,
  REMOVING,
  EXITED,
  DEAD;

  /** Returns the state for Docker's state text, e.g. {@code running}. */
  public static ContainerState fromDocker(String state) {
    if (state == null || state.isBlank()) {
      return DEAD;
    }
    try {
      return valueOf(state.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return DEAD;
    }
  }

  /** Returns true if the container's process has ended or will never run. */
  public boolean isStopped() {
    return this == EXITED || this == DEAD;
  }
}
