package dev.berth.server.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.store.MetricSeries;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** CloudWatch's wire shapes of metrics, dimensions and timestamps, read and written. */
final class MetricJson {
  private MetricJson() {}

  /** Returns the dimensions of a {@code Dimensions} list; a name given twice is refused. */
  static TreeMap<String, String> dimensions(JsonNode list) {
    TreeMap<String, String> dimensions = new TreeMap<>();
    for (JsonNode dimension : list) {
      String name = dimension.path("Name").asText();
      if (dimensions.put(name, dimension.path("Value").asText()) != null) {
        throw new AwsException(
            CloudWatchService.INVALID_PARAMETER_VALUE,
            400,
            "The dimension " + name + " is given more than once.");
      }
    }
    return dimensions;
  }

  /** Writes a series as CloudWatch's {@code Metric} shape. */
  static ObjectNode metric(MetricSeries series, ObjectNode into) {
    into.put("Namespace", series.namespace());
    into.put("MetricName", series.metricName());
    ArrayNode dimensions = into.putArray("Dimensions");
    for (Map.Entry<String, String> dimension : series.dimensions().entrySet()) {
      dimensions.addObject().put("Name", dimension.getKey()).put("Value", dimension.getValue());
    }
    return into;
  }

  /** Returns a timestamp member, epoch seconds as validated input holds it, in epoch millis. */
  static long millis(JsonNode timestamp) {
    return timestamp.decimalValue().movePointRight(3).longValue();
  }

  /** Returns epoch millis as a timestamp of the wire (epoch seconds with a fraction). */
  static JsonNode timestamp(long millis) {
    return Json.MAPPER.getNodeFactory().numberNode(BigDecimal.valueOf(millis, 3));
  }
}
