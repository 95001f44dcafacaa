package dev.berth.store;

import static java.util.Objects.requireNonNull;

/**
 * One aggregated data point of a metric series: the statistic set CloudWatch keeps for a period.
 *
 * @param series the series it belongs to
 * @param timestamp the start of its period, in epoch milliseconds
 * @param sampleCount how many samples it aggregates
 * @param sum their sum
 * @param minimum the lowest
 * @param maximum the highest
 */
public record MetricPoint(
    MetricSeries series,
    long timestamp,
    double sampleCount,
    double sum,
    double minimum,
    double maximum) {

  /** Creates a point; the sample count must be positive and the minimum at most the maximum. */
  public MetricPoint {
    requireNonNull(series);
    if (!(sampleCount > 0) || minimum > maximum) {
      throw new IllegalArgumentException("not a statistic set: " + sampleCount + " samples");
    }
  }

  /** Returns a point of a single value. */
  public static MetricPoint of(MetricSeries series, long timestamp, double value) {
    return new MetricPoint(series, timestamp, 1, value, value, value);
  }

  /** Returns the average of the samples. */
  public double average() {
    return sum / sampleCount;
  }

  /** Returns this point merged with another of the same period: counts and sums added. */
  public MetricPoint plus(MetricPoint other) {
    return new MetricPoint(
        series,
        timestamp,
        sampleCount + other.sampleCount,
        sum + other.sum,
        Math.min(minimum, other.minimum),
        Math.max(maximum, other.maximum));
  }
}
