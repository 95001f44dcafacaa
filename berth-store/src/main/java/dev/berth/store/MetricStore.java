package dev.berth.store;

import java.time.Duration;
import java.util.List;

/**
 * Where CloudWatch's metric data lives, apart from the state store's rows: series and their data
 * points at three resolutions, kept as long as CloudWatch keeps them and no longer. {@link
 * SqliteMetricStore} is the one implementation.
 */
public interface MetricStore extends AutoCloseable {
  /** A resolution the store keeps, and for how long CloudWatch keeps points of it. */
  enum Resolution {
    /** 1-minute points, kept 15 days. */
    MINUTE(60, Duration.ofDays(15)),
    /** 5-minute points, kept 63 days. */
    FIVE_MINUTES(300, Duration.ofDays(63)),
    /** 1-hour points, kept 455 days. */
    HOUR(3600, Duration.ofDays(455));

    private final int seconds;
    private final Duration retention;

    Resolution(int seconds, Duration retention) {
      this.seconds = seconds;
      this.retention = retention;
    }

    /** Returns the period of a point, in seconds. */
    public int seconds() {
      return seconds;
    }

    /** Returns how long points of this resolution are kept. */
    public Duration retention() {
      return retention;
    }

    /** Returns the start of the period that holds the instant, in epoch milliseconds. */
    public long floor(long epochMillis) {
      return Math.floorDiv(epochMillis, seconds * 1000L) * seconds * 1000L;
    }
  }

  /**
   * Adds the points durably: each is merged into the 1-minute point of its minute, and into the
   * 5-minute and 1-hour points that hold it, so every resolution stays exact for every statistic
   * but percentiles. Returns once they are written.
   */
  void put(List<MetricPoint> points);

  /** Returns the series' points of a resolution whose periods start in [from, to), oldest first. */
  List<MetricPoint> points(MetricSeries series, Resolution resolution, long from, long to);

  /**
   * Returns the series that match, ordered by key, starting after the key given (null: from the
   * first), at most limit of them.
   *
   * @param namespace the namespace, or null for any
   * @param metricName the metric name, or null for any
   * @param dimensions dimensions a series must carry; a null value matches any value
   * @param activeSince only series with a point put at or after this time (epoch ms; 0: any)
   */
  List<MetricSeries> series(
      String namespace,
      String metricName,
      java.util.Map<String, String> dimensions,
      long activeSince,
      String afterKey,
      int limit);

  /** Deletes the points older than their resolution's retention, and series left without any. */
  void prune(long nowMillis);

  /** Releases the store's resources. */
  @Override
  void close();
}
