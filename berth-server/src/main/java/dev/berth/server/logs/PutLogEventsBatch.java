package dev.berth.server.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A PutLogEvents batch checked against CloudWatch Logs' rules: at most 10,000 events (the model
 * says so) and 1,048,576 bytes counting 26 bytes an event, in chronological order, spanning at most
 * 24 hours; events more than 14 days old or more than 2 hours ahead are rejected, not stored, and
 * reported in rejectedLogEventsInfo.
 */
record PutLogEventsBatch(
    List<LogEventTable.InputEvent> events, long bytes, int tooOldEnd, int tooNewStart) {
  /** The most bytes a batch may carry, counting {@link #EVENT_OVERHEAD} for each event. */
  static final int MAX_BATCH_BYTES = 1_048_576;

  /** The bytes each event counts beside its message. */
  static final int EVENT_OVERHEAD = 26;

  /** The longest time between a batch's first and last events. */
  static final long MAX_SPAN_MILLIS = 24 * 3600_000L;

  /** How old an event may be. */
  static final long MAX_AGE_MILLIS = 14 * 24 * 3600_000L;

  /** How far ahead of the server's clock an event may be. */
  static final long MAX_AHEAD_MILLIS = 2 * 3600_000L;

  /** Checks a request's logEvents at the time given, or throws InvalidParameterException. */
  static PutLogEventsBatch check(JsonNode logEvents, long now) {
    List<LogEventTable.InputEvent> events = new ArrayList<>(logEvents.size());
    long bytes = 0;
    for (JsonNode node : logEvents) {
      ObjectNode event = (ObjectNode) node;
      LogEventTable.InputEvent input =
          new LogEventTable.InputEvent(
              event.get("timestamp").asLong(), event.get("message").asText());
      if (!events.isEmpty() && input.timestamp() < events.getLast().timestamp()) {
        throw LogsErrors.invalidParameter(
            "Log events in a single PutLogEvents request must be in chronological order.");
      }
      bytes += input.bytes() + EVENT_OVERHEAD;
      events.add(input);
    }
    if (bytes > MAX_BATCH_BYTES) {
      throw LogsErrors.invalidParameter(
          "Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
    }
    if (events.getLast().timestamp() - events.getFirst().timestamp() > MAX_SPAN_MILLIS) {
      throw LogsErrors.invalidParameter(
          "Log events in a single PutLogEvents request cannot span more than 24 hours.");
    }
    int tooOldEnd = 0;
    while (tooOldEnd < events.size() && events.get(tooOldEnd).timestamp() < now - MAX_AGE_MILLIS) {
      tooOldEnd++;
    }
    int tooNewStart = events.size();
    while (tooNewStart > tooOldEnd
        && events.get(tooNewStart - 1).timestamp() > now + MAX_AHEAD_MILLIS) {
      tooNewStart--;
    }
    return new PutLogEventsBatch(List.copyOf(events), bytes, tooOldEnd, tooNewStart);
  }

  /**
   * Returns the index after the last event older than a retention cutoff (events before it are
   * expired), never before the too-old ones.
   */
  int expiredEnd(Long cutoff) {
    int end = tooOldEnd;
    if (cutoff != null) {
      while (end < tooNewStart && events.get(end).timestamp() < cutoff) {
        end++;
      }
    }
    return end;
  }
}
