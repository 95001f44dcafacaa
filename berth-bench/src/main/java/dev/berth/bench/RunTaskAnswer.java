package dev.berth.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What a RunTask answer says to the benchmark: how many tasks started, and why others did not. */
record RunTaskAnswer(int tasks, List<JsonNode> failures) {
  /**
   * Reads the answer from its JSON tokens, counting the members of {@code tasks} that have a task
   * ARN without building them (they are most of the answer) and keeping each of {@code failures}.
   */
  static RunTaskAnswer read(JsonParser parser) throws IOException {
    expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the answer");
    int tasks = 0;
    List<JsonNode> failures = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      JsonToken value = parser.nextToken();
      if (member.equals("tasks")) {
        expect(parser, value, JsonToken.START_ARRAY, "tasks");
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          skipTask(parser);
          tasks++;
        }
      } else if (member.equals("failures")) {
        expect(parser, value, JsonToken.START_ARRAY, "failures");
        failures = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          failures.add(Json.MAPPER.readTree(parser));
        }
      } else {
        parser.skipChildren();
      }
    }
    return new RunTaskAnswer(tasks, failures);
  }

  /** Skips one member of {@code tasks}, throwing if it is no task with an ARN. */
  private static void skipTask(JsonParser parser) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "a member of tasks");
    boolean arn = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      JsonToken value = parser.nextToken();
      if (member.equals("taskArn")) {
        arn = value == JsonToken.VALUE_STRING;
      } else {
        parser.skipChildren();
      }
    }
    if (!arn) {
      throw new IOException("a member of tasks has no taskArn");
    }
  }

  private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what)
      throws IOException {
    if (actual != expected) {
      throw new IOException(
          what
              + " is "
              + actual
              + ", not "
              + expected
              + " ("
              + parser.currentLocation().offsetDescription()
              + ")");
    }
  }
}
