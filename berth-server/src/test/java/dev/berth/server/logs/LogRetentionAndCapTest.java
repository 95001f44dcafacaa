package dev.berth.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention and the per-group cap, driven by a clock the test moves, on the service itself. */
class LogRetentionAndCapTest {
  private static final RequestContext CONTEXT =
      new RequestContext("request", "us-east-1", "000000000000", "AKIDEXAMPLE");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T00:00:00Z"));

  @Test
  void retentionRemovesEventsOnceTheClockPassesTheirPeriod() {
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      CloudWatchLogs logs = new CloudWatchLogs(store, clock, LogLimits.defaults());
      createGroupAndStream(logs);
      call(logs, "PutRetentionPolicy", group().put("retentionInDays", 1));
      put(logs, clock.millis(), "first");
      clock.advance(Duration.ofHours(12));
      put(logs, clock.millis(), "second");

      assertThat(logs.sweepRetention()).isZero();
      clock.advance(Duration.ofHours(13));
      assertThat(logs.sweepRetention()).isEqualTo(1);
      assertThat(messages(logs)).containsExactly("second");
      clock.advance(Duration.ofDays(1));
      logs.sweepRetention();
      assertThat(messages(logs)).isEmpty();
      assertThat(storedBytes(logs)).isZero();
    }
  }

  @Test
  void aGroupPastItsCapLosesItsOldestEventsFirst() {
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      CloudWatchLogs logs = new CloudWatchLogs(store, clock, new LogLimits(1000, 1 << 20));
      createGroupAndStream(logs);
      for (int i = 0; i < 30; i++) {
        // 100 bytes a message: the eleventh passes the cap of 1000.
        put(logs, clock.millis() + i, String.format("%03d", i) + "x".repeat(97));
      }
      assertThat(storedBytes(logs)).isLessThanOrEqualTo(1000);
      List<String> kept = messages(logs);
      assertThat(kept).isNotEmpty();
      assertThat(kept.getLast()).startsWith("029");
      assertThat(kept.getFirst().substring(0, 3))
          .isEqualTo(String.format("%03d", 30 - kept.size()));
      assertThat(storedBytes(logs)).isEqualTo(kept.size() * 100L);
    }
  }

  private static ObjectNode group() {
    return Json.object().put("logGroupName", "g");
  }

  private static void createGroupAndStream(CloudWatchLogs logs) {
    call(logs, "CreateLogGroup", group());
    call(logs, "CreateLogStream", group().put("logStreamName", "s"));
  }

  private static void put(CloudWatchLogs logs, long timestamp, String message) {
    ObjectNode input = group().put("logStreamName", "s");
    input.putArray("logEvents").addObject().put("timestamp", timestamp).put("message", message);
    call(logs, "PutLogEvents", input);
  }

  private static List<String> messages(CloudWatchLogs logs) {
    JsonNode output =
        call(logs, "GetLogEvents", group().put("logStreamName", "s").put("startFromHead", true));
    List<String> messages = new ArrayList<>();
    for (JsonNode event : (ArrayNode) output.get("events")) {
      messages.add(event.get("message").asText());
    }
    return messages;
  }

  private static long storedBytes(CloudWatchLogs logs) {
    return call(logs, "DescribeLogGroups", Json.object())
        .get("logGroups")
        .get(0)
        .get("storedBytes")
        .asLong();
  }

  private static JsonNode call(CloudWatchLogs logs, String operation, ObjectNode input) {
    return logs.invoke(operation, input, CONTEXT).join();
  }
}
