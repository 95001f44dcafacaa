package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A metric series as CloudWatch names it: a namespace, a metric name and a set of dimensions, with
 * the unit its data was put with (null for none).
 */
public record MetricSeries(
    String namespace, String metricName, SortedMap<String, String> dimensions, String unit) {

  /** Creates a series; the dimensions are copied in name order. */
  public MetricSeries {
    requireNonNull(namespace);
    requireNonNull(metricName);
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
  }

  /** Returns a series of the namespace, name and dimensions given, without a unit. */
  public static MetricSeries of(String namespace, String metricName, Map<String, String> dims) {
    return new MetricSeries(namespace, metricName, new TreeMap<>(dims), null);
  }

  /** Returns the series' identity: namespace, name and dimensions, not the unit. */
  public String key() {
    StringBuilder key = new StringBuilder(namespace).append('\n').append(metricName);
    dimensions.forEach((name, value) -> key.append('\n').append(name).append('=').append(value));
    return key.toString();
  }
}
