package dev.berth.server.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the built-in load balancer runs: the address its listeners bind to, how long it waits for a
 * target's response before answering 504 (ELB's idle timeout) and for a connection before 502.
 */
public record LbSettings(String bindAddress, Duration targetTimeout, Duration connectTimeout) {
  /** ELB's default idle timeout. */
  public static final Duration DEFAULT_TARGET_TIMEOUT = Duration.ofSeconds(60);

  /** Creates settings; every part is required. */
  public LbSettings {
    requireNonNull(bindAddress);
    requireNonNull(targetTimeout);
    requireNonNull(connectTimeout);
  }

  /** Returns local mode's settings: listeners on loopback, ELB's timeouts. */
  public static LbSettings local() {
    return new LbSettings("127.0.0.1", DEFAULT_TARGET_TIMEOUT, Duration.ofSeconds(10));
  }

  /** Returns a copy with another bind address. */
  public LbSettings withBindAddress(String address) {
    return new LbSettings(address, targetTimeout, connectTimeout);
  }

  /** Returns a copy with another target timeout. */
  public LbSettings withTargetTimeout(Duration timeout) {
    return new LbSettings(bindAddress, timeout, connectTimeout);
  }
}
