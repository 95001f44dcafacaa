package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What the API port allows a connection, as nginx's client_header_timeout, client_body_timeout,
 * keepalive_timeout and worker_connections do: a stalled or idle client is closed, and the number
 * of open connections is capped.
 *
 * @param headerTimeout how long a request's headers may take to arrive, from the connection's start
 *     or from the first byte after an idle spell
 * @param bodyTimeout how long a request's whole body may take to arrive once its headers are in
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param maxConnections how many connections may be open at once; at the cap, the oldest connection
 *     that has not yet had a request accepted is closed to make room, so that strangers holding
 *     connections open cannot lock signed callers out
 */
public record ConnectionLimits(
    Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections) {
  /** The default header timeout: SDKs send a request's headers in one write. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  /** The default body timeout: ECS's requests are small, 1 MiB at most here. */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The default idle timeout: longer than the AWS SDKs keep an idle pooled connection (60 s), so a
   * client seldom reuses a connection the server is closing; nginx's keepalive_timeout is 75 s.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);

  /** The cap when the process's open-file limit cannot be read. */
  static final int FALLBACK_MAX_CONNECTIONS = 4096;

  /**
   * Returns the default cap on open connections: three quarters of the process's open-file limit
   * ({@code ulimit -n}), at least 256. Each agent holds a connection for good, so a fixed cap would
   * turn a large fleet's agents away; a cap under the file limit still leaves descriptors for the
   * store, the load balancer's upstreams and the signed callers that strangers would starve.
   */
  public static int defaultMaxConnections() {
    long files =
        ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
            ? unix.getMaxFileDescriptorCount()
            : -1;
    return files <= 0 ? FALLBACK_MAX_CONNECTIONS : capFor(files);
  }

  /** Returns the default cap for an open-file limit. */
  static int capFor(long openFileLimit) {
    return (int) Math.max(256, Math.min(1_000_000, openFileLimit / 4 * 3));
  }

  /** Creates limits, checking each. */
  public ConnectionLimits {
    requirePositive(headerTimeout, "header timeout");
    requirePositive(bodyTimeout, "body timeout");
    requirePositive(idleTimeout, "idle timeout");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "the connection cap must be at least 1: " + maxConnections);
    }
  }

  /** Returns the default limits. */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(
        DEFAULT_HEADER_TIMEOUT,
        DEFAULT_BODY_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        defaultMaxConnections());
  }

  private static void requirePositive(Duration duration, String what) {
    requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive: " + duration);
    }
  }
}
