package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * PutLogEvents and GetLogEvents: a stream's events written durably before the call answers, and
 * read back a page at a time with GetLogEvents' forward and backward tokens.
 */
final class LogEventOperations {
  /** The most events, and about the most bytes, GetLogEvents and FilterLogEvents answer. */
  static final int MAX_EVENTS = 10_000;

  static final int MAX_RESPONSE_BYTES = 1_048_576;

  private static final long DAY_MILLIS = 24 * 3600_000L;

  private final LogStore store;
  private final Clock clock;
  private final LogLimits limits;

  /** Creates the operations over the store, with the clock and the limits given. */
  LogEventOperations(LogStore store, Clock clock, LogLimits limits) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
    this.limits = requireNonNull(limits);
  }

  /** Registers each operation's handler by its name. */
  void register(Map<String, LogsOperation> operations) {
    operations.put("PutLogEvents", this::putLogEvents);
    operations.put("GetLogEvents", this::getLogEvents);
  }

  private CompletableFuture<JsonNode> putLogEvents(ObjectNode input, RequestContext context) {
    String groupName = input.get("logGroupName").asText();
    String streamName = input.get("logStreamName").asText();
    long now = clock.millis();
    PutLogEventsBatch batch = PutLogEventsBatch.check(input.get("logEvents"), now);
    return store.write(
        batch.bytes(),
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          LogStream stream = LogStream.require(connection, group.id(), streamName);
          Long cutoff =
              group.retentionDays() == null ? null : now - group.retentionDays() * DAY_MILLIS;
          int expiredEnd = batch.expiredEnd(cutoff);
          List<LogEventTable.InputEvent> accepted =
              batch.events().subList(expiredEnd, batch.tooNewStart());
          if (!accepted.isEmpty()) {
            LogEventTable.append(connection, group, stream, accepted, now);
            long stored = LogGroup.require(connection, context.region(), groupName).storedBytes();
            if (stored > limits.maxGroupBytes()) {
              // A group past its cap loses its oldest events, down to 90% of the cap, so the next
              // batches do not each pay for an eviction.
              LogEventTable.evictOldest(
                  connection, group.id(), stored, limits.maxGroupBytes() / 10 * 9);
            }
          }
          ObjectNode output = Json.object();
          output.put("nextSequenceToken", String.format("%056d", stream.sequence() + 1));
          if (batch.tooOldEnd() > 0
              || expiredEnd > batch.tooOldEnd()
              || batch.tooNewStart() < batch.events().size()) {
            ObjectNode rejected = output.putObject("rejectedLogEventsInfo");
            if (batch.tooNewStart() < batch.events().size()) {
              rejected.put("tooNewLogEventStartIndex", batch.tooNewStart());
            }
            if (batch.tooOldEnd() > 0) {
              rejected.put("tooOldLogEventEndIndex", batch.tooOldEnd());
            }
            if (expiredEnd > batch.tooOldEnd()) {
              rejected.put("expiredLogEventEndIndex", expiredEnd);
            }
          }
          return output;
        });
  }

  private CompletableFuture<JsonNode> getLogEvents(ObjectNode input, RequestContext context) {
    String groupName = GroupIdentifier.nameOf(input, context);
    String streamName = input.get("logStreamName").asText();
    long startTime = input.has("startTime") ? input.get("startTime").asLong() : Long.MIN_VALUE;
    long endTime = input.has("endTime") ? input.get("endTime").asLong() : Long.MAX_VALUE;
    int limit = input.has("limit") ? input.get("limit").asInt() : MAX_EVENTS;
    String token = Json.text(input, "nextToken");
    boolean forward;
    EventPosition from;
    if (token != null) {
      if (token.length() < 3 || token.charAt(1) != '/' || "fb".indexOf(token.charAt(0)) < 0) {
        throw PageToken.invalid();
      }
      forward = token.charAt(0) == 'f';
      from = EventPosition.parse(token.substring(2));
    } else {
      forward = input.path("startFromHead").asBoolean(false);
      from = forward ? EventPosition.HEAD : EventPosition.TAIL;
    }
    return store.read(
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          LogStream stream = LogStream.require(connection, group.id(), streamName);
          List<LogEventTable.StoredEvent> events =
              LogEventTable.ofStream(connection, stream, startTime, endTime, from, forward, limit);
          events = withinResponseSize(events, forward);
          ObjectNode output = Json.object();
          ArrayNode array = output.putArray("events");
          for (LogEventTable.StoredEvent event : events) {
            array
                .addObject()
                .put("timestamp", event.timestamp())
                .put("message", event.message())
                .put("ingestionTime", event.ingestion());
          }
          EventPosition after;
          EventPosition before;
          if (events.isEmpty()) {
            // Nothing on this side of the position: the same token again means "no more", which
            // is how the SDKs' paginators stop. Nothing before the tail means nothing at all, so
            // the forward token then starts from the head to follow what comes later.
            after = from == EventPosition.TAIL ? EventPosition.HEAD : from;
            before = from;
          } else {
            after = EventPosition.of(events.getLast());
            before = EventPosition.of(events.getFirst());
          }
          output.put(
              "nextForwardToken",
              token != null && forward && events.isEmpty() ? token : "f/" + after.text());
          output.put(
              "nextBackwardToken",
              token != null && !forward && events.isEmpty() ? token : "b/" + before.text());
          return output;
        });
  }

  /** Returns the events that fit in a response: the first ones going forward, else the last. */
  static List<LogEventTable.StoredEvent> withinResponseSize(
      List<LogEventTable.StoredEvent> events, boolean keepFirst) {
    long bytes = 0;
    int size = events.size();
    for (int i = 0; i < size; i++) {
      LogEventTable.StoredEvent event = events.get(keepFirst ? i : size - 1 - i);
      bytes += event.message().length() + PutLogEventsBatch.EVENT_OVERHEAD;
      if (bytes > MAX_RESPONSE_BYTES && i > 0) {
        return keepFirst ? events.subList(0, i) : events.subList(size - i, size);
      }
    }
    return events;
  }
}
