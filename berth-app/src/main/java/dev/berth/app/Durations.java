package dev.berth.app;

import java.time.Duration;

/** Parses the durations of the command line: a number with s, m or h, e.g. 20s, 10m, 3h. */
public final class Durations {
  private Durations() {}

  /** Returns the duration the text names, or throws a clear error. */
  public static Duration parse(String text) {
    try {
      return Duration.parse("PT" + text.trim().toUpperCase());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (use e.g. 20s, 10m or 3h)");
    }
  }
}
