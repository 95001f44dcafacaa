package dev.berth.agent.runtime;

/** A Docker Engine API version such as 1.41, and the rule for choosing the one to speak. */
record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
  /** The newest API version docker-java 3.4.1 knows. */
  static final ApiVersion CLIENT_MAX = new ApiVersion(1, 44);

  /** Parses {@code MAJOR.MINOR}. */
  static ApiVersion parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no API version");
    }
    String[] parts = text.trim().split("\\.");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not an API version: " + text);
    }
    try {
      return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an API version: " + text, e);
    }
  }

  /**
   * Returns the version to speak: the newest both sides know, but never below what the daemon still
   * accepts (a daemon newer than the client refuses old versions; speaking its minimum is the best
   * chance).
   *
   * @param daemonMax the daemon's {@code ApiVersion}
   * @param daemonMin the daemon's {@code MinAPIVersion}, or null when it does not say
   */
  static ApiVersion negotiate(ApiVersion daemonMax, ApiVersion daemonMin, ApiVersion clientMax) {
    ApiVersion chosen = daemonMax.compareTo(clientMax) < 0 ? daemonMax : clientMax;
    if (daemonMin != null && chosen.compareTo(daemonMin) < 0) {
      chosen = daemonMin;
    }
    return chosen;
  }

  @Override
  public int compareTo(ApiVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
