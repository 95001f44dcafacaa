package dev.berth.server.cloudwatch;

import static dev.berth.server.cloudwatch.CloudWatchService.INVALID_PARAMETER_COMBINATION;
import static dev.berth.server.cloudwatch.CloudWatchService.INVALID_PARAMETER_VALUE;
import static dev.berth.server.cloudwatch.CloudWatchService.MISSING_PARAMETER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.store.MetricPoint;
import dev.berth.store.MetricSeries;
import dev.berth.store.MetricStore;
import dev.berth.store.MetricStore.Resolution;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * GetMetricStatistics and GetMetricData (MetricStat queries): a series' points over a time range,
 * merged into periods, with the statistics asked for.
 */
final class MetricQueries {
  /** The most data points GetMetricStatistics answers in one call. */
  static final int MAX_STATISTICS_DATAPOINTS = 1440;

  /** The default, and largest, MaxDatapoints of GetMetricData. */
  static final int MAX_DATA_DATAPOINTS = 100_800;

  private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
  private static final List<String> STATS =
      List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

  private final MetricStore store;
  private final Clock clock;

  MetricQueries(MetricStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Answers GetMetricStatistics: the statistics asked for, a data point a period with data. */
  JsonNode getMetricStatistics(ObjectNode input) {
    boolean statistics = input.has("Statistics") && !input.path("Statistics").isEmpty();
    boolean extended =
        input.has("ExtendedStatistics") && !input.path("ExtendedStatistics").isEmpty();
    if (statistics && extended) {
      throw new AwsException(
          INVALID_PARAMETER_COMBINATION,
          400,
          "The parameters Statistics and ExtendedStatistics are mutually exclusive and you"
              + " specified both.");
    }
    if (!statistics && !extended) {
      throw new AwsException(
          MISSING_PARAMETER, 400, "The parameter Statistics or ExtendedStatistics is required.");
    }
    if (extended) {
      throw new AwsException(
          INVALID_PARAMETER_VALUE,
          400,
          "Berth keeps statistic sets, not distributions: ExtendedStatistics (percentiles) are not"
              + " available.");
    }
    long start = MetricJson.millis(input.get("StartTime"));
    long end = MetricJson.millis(input.get("EndTime"));
    int period = input.path("Period").asInt();
    Resolution resolution = checkRange(start, end, period, "");
    long wanted = ceilDiv(end - start, period * 1000L);
    if (wanted > MAX_STATISTICS_DATAPOINTS) {
      throw new AwsException(
          INVALID_PARAMETER_COMBINATION,
          400,
          "You have requested up to "
              + wanted
              + " datapoints, which exceeds the limit of "
              + MAX_STATISTICS_DATAPOINTS
              + ". You may reduce the datapoints requested by increasing Period, or decreasing the"
              + " time range.");
    }
    MetricSeries series =
        MetricSeries.of(
            input.path("Namespace").asText(),
            input.path("MetricName").asText(),
            MetricJson.dimensions(input.path("Dimensions")));
    String unit = input.path("Unit").asText(null);
    ObjectNode output = Json.object();
    output.put("Label", series.metricName());
    ArrayNode datapoints = output.putArray("Datapoints");
    for (MetricPoint point : periods(series, unit, resolution, start, end, period).values()) {
      ObjectNode datapoint = datapoints.addObject();
      datapoint.set("Timestamp", MetricJson.timestamp(point.timestamp()));
      for (JsonNode stat : input.path("Statistics")) {
        datapoint.put(stat.asText(), statistic(point, stat.asText()));
      }
      datapoint.put("Unit", point.series().unit() == null ? "None" : point.series().unit());
    }
    return output;
  }

  /** Answers GetMetricData for MetricStat queries; metric math expressions are refused. */
  JsonNode getMetricData(ObjectNode input) {
    long start = MetricJson.millis(input.get("StartTime"));
    long end = MetricJson.millis(input.get("EndTime"));
    boolean ascending = "TimestampAscending".equals(input.path("ScanBy").asText());
    int budget = input.path("MaxDatapoints").asInt(MAX_DATA_DATAPOINTS);
    Set<String> ids = new HashSet<>();
    List<ObjectNode> results = new ArrayList<>();
    for (JsonNode query : input.path("MetricDataQueries")) {
      String id = query.path("Id").asText();
      if (!QUERY_ID.matcher(id).matches()) {
        throw validation(
            "The value "
                + id
                + " for parameter MetricDataQueries.Id is invalid: it must start"
                + " with a lowercase letter and hold only letters, digits and underscores.");
      }
      if (!ids.add(id)) {
        throw validation("The value " + id + " for parameter MetricDataQueries.Id is not unique.");
      }
      if (query.has("Expression")) {
        throw validation("Berth does not evaluate metric math expressions yet (query " + id + ").");
      }
      if (!query.has("MetricStat")) {
        throw validation("Query " + id + " needs a MetricStat or an Expression.");
      }
      JsonNode stat = query.get("MetricStat");
      String statistic = stat.path("Stat").asText();
      if (!STATS.contains(statistic)) {
        throw validation(
            "The statistic " + statistic + " of query " + id + " is not one of " + STATS + ".");
      }
      int period = stat.path("Period").asInt();
      Resolution resolution = checkRange(start, end, period, "MetricStat.");
      MetricSeries series =
          MetricSeries.of(
              stat.path("Metric").path("Namespace").asText(),
              stat.path("Metric").path("MetricName").asText(),
              MetricJson.dimensions(stat.path("Metric").path("Dimensions")));
      NavigableMap<Long, MetricPoint> points =
          periods(series, stat.path("Unit").asText(null), resolution, start, end, period);
      if (!query.path("ReturnData").asBoolean(true)) {
        continue;
      }
      ObjectNode result = Json.object();
      result.put("Id", id);
      result.put("Label", query.path("Label").asText(series.metricName()));
      ArrayNode timestamps = result.putArray("Timestamps");
      ArrayNode values = result.putArray("Values");
      String status = "Complete";
      for (MetricPoint point : (ascending ? points : points.descendingMap()).values()) {
        if (budget == 0) {
          status = "PartialData";
          break;
        }
        budget--;
        timestamps.add(MetricJson.timestamp(point.timestamp()));
        values.add(statistic(point, statistic));
      }
      result.put("StatusCode", status);
      results.add(result);
    }
    ObjectNode output = Json.object();
    output.putArray("MetricDataResults").addAll(results);
    output.putArray("Messages");
    return output;
  }

  /**
   * Returns the series' points merged into periods that start at the start time, by period start;
   * with a unit given, a series put with another unit has none.
   */
  private NavigableMap<Long, MetricPoint> periods(
      MetricSeries series, String unit, Resolution resolution, long start, long end, int period) {
    NavigableMap<Long, MetricPoint> periods = new TreeMap<>();
    long periodMillis = period * 1000L;
    // Stored points start on their resolution's boundary: read from the one that holds the start.
    for (MetricPoint point : store.points(series, resolution, resolution.floor(start), end)) {
      if (point.timestamp() < start
          || (unit != null
              && !unit.equals(point.series().unit() == null ? "None" : point.series().unit()))) {
        continue;
      }
      long bucket = start + Math.floorDiv(point.timestamp() - start, periodMillis) * periodMillis;
      MetricPoint moved =
          new MetricPoint(
              point.series(),
              bucket,
              point.sampleCount(),
              point.sum(),
              point.minimum(),
              point.maximum());
      periods.merge(bucket, moved, MetricPoint::plus);
    }
    return periods;
  }

  /**
   * Checks the time range and period and returns the resolution to read: 1-minute points for the
   * last 15 days, 5-minute ones up to 63 days back, hourly ones beyond, as CloudWatch keeps them.
   */
  private Resolution checkRange(long start, long end, int period, String prefix) {
    if (start >= end) {
      throw new AwsException(
          INVALID_PARAMETER_VALUE,
          400,
          "The parameter StartTime must be less than the parameter EndTime.");
    }
    long age = clock.millis() - start;
    Resolution resolution = Resolution.MINUTE;
    for (Resolution candidate : Resolution.values()) {
      if (age > candidate.retention().toMillis()) {
        resolution = next(candidate);
      }
    }
    if (resolution == null || period < resolution.seconds() || period % resolution.seconds() != 0) {
      throw new AwsException(
          INVALID_PARAMETER_VALUE,
          400,
          "The parameter "
              + prefix
              + "Period must be a multiple of "
              + (resolution == null ? 3600 : resolution.seconds())
              + " for data from that time.");
    }
    return resolution;
  }

  private static Resolution next(Resolution resolution) {
    return switch (resolution) {
      case MINUTE -> Resolution.FIVE_MINUTES;
      case FIVE_MINUTES -> Resolution.HOUR;
      case HOUR -> null;
    };
  }

  private static double statistic(MetricPoint point, String statistic) {
    return switch (statistic) {
      case "SampleCount" -> point.sampleCount();
      case "Average" -> point.average();
      case "Sum" -> point.sum();
      case "Minimum" -> point.minimum();
      case "Maximum" -> point.maximum();
      default -> throw new IllegalArgumentException(statistic);
    };
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static AwsException validation(String message) {
    return new AwsException("ValidationError", 400, message);
  }
}
