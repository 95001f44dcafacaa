package dev.berth.server.cloudwatch;

import static dev.berth.server.cloudwatch.CloudWatchService.INVALID_PARAMETER_COMBINATION;
import static dev.berth.server.cloudwatch.CloudWatchService.INVALID_PARAMETER_VALUE;
import static dev.berth.server.cloudwatch.CloudWatchService.MISSING_PARAMETER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.TokenPaging;
import dev.berth.store.MetricPoint;
import dev.berth.store.MetricSeries;
import dev.berth.store.MetricStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** PutMetricData and ListMetrics: metric data in, and the series it made listed. */
final class MetricDataOperations {
  /** How far back a data point may be put, as CloudWatch allows: two weeks. */
  static final Duration OLDEST_PUT = Duration.ofDays(14);

  /** How far ahead a data point may be put: two hours. */
  static final Duration NEWEST_PUT = Duration.ofHours(2);

  /** The page size of ListMetrics, as CloudWatch's. */
  static final int LIST_PAGE = 500;

  /** How recent the last put of a series listed with RecentlyActive=PT3H must be. */
  static final Duration RECENTLY_ACTIVE = Duration.ofHours(3);

  private final MetricStore store;
  private final Clock clock;

  MetricDataOperations(MetricStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Puts data points of custom metrics; AWS/ namespaces are CloudWatch's own and refused. */
  JsonNode putMetricData(ObjectNode input) {
    String namespace = input.path("Namespace").asText();
    if (namespace.startsWith("AWS/")) {
      throw invalid("The value " + namespace + " for parameter Namespace is invalid.");
    }
    if (!input.has("MetricData") || input.path("MetricData").isEmpty()) {
      throw new AwsException(MISSING_PARAMETER, 400, "The parameter MetricData is required.");
    }
    long now = clock.millis();
    List<MetricPoint> points = new ArrayList<>();
    int index = 0;
    for (JsonNode datum : input.path("MetricData")) {
      index++;
      String member = "MetricData.member." + index;
      MetricSeries series =
          new MetricSeries(
              namespace,
              datum.path("MetricName").asText(),
              MetricJson.dimensions(datum.path("Dimensions")),
              datum.path("Unit").asText(null));
      long timestamp = datum.has("Timestamp") ? MetricJson.millis(datum.get("Timestamp")) : now;
      if (timestamp < now - OLDEST_PUT.toMillis() || timestamp > now + NEWEST_PUT.toMillis()) {
        throw invalid(
            "The parameter "
                + member
                + ".Timestamp must specify a time no more than two weeks in the past and no more"
                + " than two hours in the future.");
      }
      points.add(point(series, timestamp, datum, member));
    }
    store.put(points);
    return Json.object();
  }

  /** Lists the series that match, 500 a page, in a stable order. */
  JsonNode listMetrics(ObjectNode input) {
    String namespace = input.path("Namespace").asText(null);
    String metricName = input.path("MetricName").asText(null);
    Map<String, String> dimensions = new HashMap<>();
    for (JsonNode filter : input.path("Dimensions")) {
      dimensions.put(filter.path("Name").asText(), filter.path("Value").asText(null));
    }
    long activeSince = 0;
    if (input.has("RecentlyActive")) {
      // PT3H is the one value the model allows.
      activeSince = clock.millis() - RECENTLY_ACTIVE.toMillis();
    }
    long since = activeSince;
    TokenPaging.Page<MetricSeries> page =
        TokenPaging.page(
            "ListMetrics",
            after -> store.series(namespace, metricName, dimensions, since, after, LIST_PAGE + 1),
            MetricSeries::key,
            series -> true,
            LIST_PAGE,
            input.path("NextToken").asText(null),
            () -> new AwsException("InvalidNextToken", 400, "The NextToken is not valid."));
    ObjectNode output = Json.object();
    ArrayNode metrics = output.putArray("Metrics");
    page.items().forEach(series -> MetricJson.metric(series, metrics.addObject()));
    if (page.nextToken() != null) {
      output.put("NextToken", page.nextToken());
    }
    return output;
  }

  /** Returns the point a datum puts: a value, a statistic set, or values with counts. */
  private static MetricPoint point(
      MetricSeries series, long timestamp, JsonNode datum, String member) {
    boolean value = datum.has("Value");
    boolean set = datum.has("StatisticValues");
    boolean values = datum.has("Values");
    if ((value ? 1 : 0) + (set ? 1 : 0) + (values ? 1 : 0) > 1) {
      throw new AwsException(
          INVALID_PARAMETER_COMBINATION,
          400,
          "The parameters "
              + member
              + ".Value, "
              + member
              + ".StatisticValues and "
              + member
              + ".Values are mutually exclusive and you specified more than one.");
    }
    if (value) {
      return MetricPoint.of(series, timestamp, finite(datum.get("Value"), member + ".Value"));
    }
    if (set) {
      JsonNode statistics = datum.get("StatisticValues");
      double count = finite(statistics.get("SampleCount"), member + ".StatisticValues.SampleCount");
      double min = finite(statistics.get("Minimum"), member + ".StatisticValues.Minimum");
      double max = finite(statistics.get("Maximum"), member + ".StatisticValues.Maximum");
      if (count <= 0 || min > max) {
        throw invalid(
            "The parameter "
                + member
                + ".StatisticValues must have a positive SampleCount and a Minimum no greater than"
                + " its Maximum.");
      }
      return new MetricPoint(
          series,
          timestamp,
          count,
          finite(statistics.get("Sum"), member + ".StatisticValues.Sum"),
          min,
          max);
    }
    if (values) {
      return fromValues(series, timestamp, datum, member);
    }
    throw new AwsException(
        MISSING_PARAMETER,
        400,
        "One of the parameters " + member + ".Value, .StatisticValues or .Values is required.");
  }

  private static MetricPoint fromValues(
      MetricSeries series, long timestamp, JsonNode datum, String member) {
    JsonNode values = datum.get("Values");
    JsonNode counts = datum.path("Counts");
    if (values.isEmpty()) {
      throw invalid("The parameter " + member + ".Values must not be empty.");
    }
    if (!counts.isMissingNode() && counts.size() != values.size()) {
      throw new AwsException(
          INVALID_PARAMETER_COMBINATION,
          400,
          "The parameters " + member + ".Values and " + member + ".Counts must be of equal size.");
    }
    double count = 0;
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < values.size(); i++) {
      double v = finite(values.get(i), member + ".Values");
      double n = counts.isMissingNode() ? 1 : finite(counts.get(i), member + ".Counts");
      if (n <= 0) {
        continue;
      }
      count += n;
      sum += v * n;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (count == 0) {
      throw invalid("The parameter " + member + ".Counts must count at least one value.");
    }
    return new MetricPoint(series, timestamp, count, sum, min, max);
  }

  private static double finite(JsonNode value, String member) {
    double number = value.asDouble();
    if (!Double.isFinite(number)) {
      throw invalid("The value for parameter " + member + " is not a finite number.");
    }
    return number;
  }

  private static AwsException invalid(String message) {
    return new AwsException(INVALID_PARAMETER_VALUE, 400, message);
  }
}
