package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * FilterLogEvents: a group's events from the streams asked for, interleaved in (timestamp, eventId)
 * order, with startTime and endTime inclusive, that match a filter pattern. Each event's eventId is
 * its row id, stable for its life, which {@code aws logs tail} de-duplicates by.
 *
 * <p>A call reads at most {@link #SCAN_BUDGET} events; when it stops there it answers what matched
 * and a nextToken, as CloudWatch Logs does when its search time runs out.
 */
final class FilterLogEventsOperation {
  /** The most events one call reads looking for matches. */
  static final int SCAN_BUDGET = 100_000;

  private static final int SCAN_PAGE = 1_000;

  private final LogStore store;

  /** Creates the operation over the store. */
  FilterLogEventsOperation(LogStore store) {
    this.store = requireNonNull(store);
  }

  /** Registers the operation's handler. */
  void register(Map<String, LogsOperation> operations) {
    operations.put("FilterLogEvents", this::filterLogEvents);
  }

  private CompletableFuture<JsonNode> filterLogEvents(ObjectNode input, RequestContext context) {
    String groupName = GroupIdentifier.nameOf(input, context);
    List<String> names = new ArrayList<>();
    input.path("logStreamNames").forEach(name -> names.add(name.asText()));
    String prefix = Json.text(input, "logStreamNamePrefix");
    if (!names.isEmpty() && prefix != null) {
      throw LogsErrors.invalidParameter(
          "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    }
    LogEventTable.StreamSelection streams =
        !names.isEmpty()
            ? LogEventTable.StreamSelection.named(names)
            : prefix != null
                ? LogEventTable.StreamSelection.prefixed(prefix)
                : LogEventTable.StreamSelection.all();
    long startTime = input.has("startTime") ? input.get("startTime").asLong() : Long.MIN_VALUE;
    long endTime = input.has("endTime") ? input.get("endTime").asLong() : Long.MAX_VALUE;
    int limit = input.has("limit") ? input.get("limit").asInt() : LogEventOperations.MAX_EVENTS;
    String position = PageToken.decode(Json.text(input, "nextToken"));
    EventPosition from = position == null ? EventPosition.HEAD : EventPosition.parse(position);
    FilterPattern pattern = FilterPattern.parse(Json.text(input, "filterPattern"));
    return store.read(
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          if (!names.isEmpty()) {
            requireStreams(connection, group, names);
          }
          List<LogEventTable.StoredEvent> matched = new ArrayList<>();
          EventPosition after = from;
          int scanned = 0;
          long bytes = 0;
          boolean more = true;
          while (more && matched.size() < limit && bytes < LogEventOperations.MAX_RESPONSE_BYTES) {
            if (scanned >= SCAN_BUDGET) {
              break;
            }
            List<LogEventTable.StoredEvent> page =
                LogEventTable.ofGroup(
                    connection, group.id(), streams, startTime, endTime, after, SCAN_PAGE);
            more = page.size() == SCAN_PAGE;
            for (LogEventTable.StoredEvent event : page) {
              scanned++;
              after = EventPosition.of(event);
              if (pattern.test(event.message())) {
                matched.add(event);
                bytes += event.message().length() + PutLogEventsBatch.EVENT_OVERHEAD;
                if (matched.size() == limit || bytes >= LogEventOperations.MAX_RESPONSE_BYTES) {
                  // Stopped inside the page: what follows may match.
                  more = true;
                  break;
                }
              }
            }
          }
          ObjectNode output = Json.object();
          ArrayNode array = output.putArray("events");
          for (LogEventTable.StoredEvent event : matched) {
            array
                .addObject()
                .put("logStreamName", event.streamName())
                .put("timestamp", event.timestamp())
                .put("message", event.message())
                .put("ingestionTime", event.ingestion())
                .put("eventId", Long.toString(event.id()));
          }
          output.putArray("searchedLogStreams");
          if (more) {
            output.put("nextToken", PageToken.encode(after.text()));
          }
          return output;
        });
  }

  private static void requireStreams(
      java.sql.Connection connection, LogGroup group, List<String> names)
      throws java.sql.SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT count(*) FROM log_streams WHERE group_id = ? AND name IN ("
                + "?, ".repeat(names.size() - 1)
                + "?)")) {
      query.setLong(1, group.id());
      for (int i = 0; i < names.size(); i++) {
        query.setString(i + 2, names.get(i));
      }
      try (ResultSet row = query.executeQuery()) {
        if (!row.next() || row.getInt(1) < names.stream().distinct().count()) {
          throw LogsErrors.streamNotFound();
        }
      }
    }
  }
}
