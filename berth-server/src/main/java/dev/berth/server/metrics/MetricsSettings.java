package dev.berth.server.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the server's metrics run.
 *
 * @param minute how often agents' samples become data points: a minute, as in CloudWatch; tests
 *     shorten it (points are still stamped and stored by the minute)
 */
public record MetricsSettings(Duration minute) {
  /** CloudWatch's own: a data point a minute. */
  public static final MetricsSettings AWS = new MetricsSettings(Duration.ofMinutes(1));

  /** Creates settings; the minute must be positive. */
  public MetricsSettings {
    requireNonNull(minute);
    if (minute.isZero() || minute.isNegative()) {
      throw new IllegalArgumentException("the metrics minute must be positive");
    }
  }
}
