package dev.berth.server.logs;

/**
 * What bounds the logs' disk and memory: the bytes of events one log group keeps (its oldest go
 * first beyond it) and the bytes of events that may wait for the logs' writer (PutLogEvents answers
 * ServiceUnavailableException beyond it, which clients retry).
 */
public record LogLimits(long maxGroupBytes, long maxQueuedBytes) {
  /** The defaults: 1 GiB of messages a log group, 32 MiB waiting to be written. */
  public static LogLimits defaults() {
    return new LogLimits(1L << 30, 32L << 20);
  }

  /** Creates limits; both must be positive. */
  public LogLimits {
    if (maxGroupBytes <= 0 || maxQueuedBytes <= 0) {
      throw new IllegalArgumentException("log limits must be positive");
    }
  }
}
