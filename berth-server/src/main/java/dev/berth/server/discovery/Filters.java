package dev.berth.server.discovery;

import com.fasterxml.jackson.databind.JsonNode;

/** Cloud Map's list filters: a value against a filter's Condition and Values. */
final class Filters {
  private Filters() {}

  /** Returns true if the value satisfies the filter; the condition defaults to EQ. */
  static boolean matches(JsonNode filter, String value) {
    JsonNode values = filter.path("Values");
    String condition = filter.path("Condition").asText("EQ");
    return switch (condition) {
      case "EQ" -> {
        if (values.size() != 1) {
          throw CloudMapErrors.invalidInput("The EQ condition takes exactly one value.");
        }
        yield values.get(0).asText().equals(value);
      }
      case "IN" -> {
        boolean any = false;
        for (JsonNode candidate : values) {
          any |= candidate.asText().equals(value);
        }
        yield any;
      }
      case "BEGINS_WITH" -> {
        if (values.size() != 1) {
          throw CloudMapErrors.invalidInput("The BEGINS_WITH condition takes exactly one value.");
        }
        yield value.startsWith(values.get(0).asText());
      }
      default ->
          throw CloudMapErrors.invalidInput(
              "The condition " + condition + " is not supported for this filter.");
    };
  }
}
