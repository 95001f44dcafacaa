package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CreateLogStream, DeleteLogStream and DescribeLogStreams: the streams of a log group. */
final class LogStreamOperations {
  private static final int DEFAULT_DESCRIBE_LIMIT = 50;

  private final LogStore store;
  private final Clock clock;

  /** Creates the operations over the store; creation times come from the clock. */
  LogStreamOperations(LogStore store, Clock clock) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
  }

  /** Registers each operation's handler by its name. */
  void register(Map<String, LogsOperation> operations) {
    operations.put("CreateLogStream", this::createLogStream);
    operations.put("DeleteLogStream", this::deleteLogStream);
    operations.put("DescribeLogStreams", this::describeLogStreams);
  }

  private CompletableFuture<JsonNode> createLogStream(ObjectNode input, RequestContext context) {
    String groupName = input.get("logGroupName").asText();
    String name = input.get("logStreamName").asText();
    long now = clock.millis();
    return store.write(
        0,
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO log_streams (group_id, name, created) VALUES (?, ?, ?)"
                      + " ON CONFLICT (group_id, name) DO NOTHING")) {
            insert.setLong(1, group.id());
            insert.setString(2, name);
            insert.setLong(3, now);
            if (insert.executeUpdate() == 0) {
              throw LogsErrors.streamExists();
            }
          }
          return Json.object();
        });
  }

  private CompletableFuture<JsonNode> deleteLogStream(ObjectNode input, RequestContext context) {
    String groupName = input.get("logGroupName").asText();
    String name = input.get("logStreamName").asText();
    return store.write(
        0,
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          LogStream stream = LogStream.require(connection, group.id(), name);
          long freed;
          try (PreparedStatement bytes =
              connection.prepareStatement(
                  "SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) FROM log_events"
                      + " WHERE stream_id = ?")) {
            bytes.setLong(1, stream.id());
            try (ResultSet row = bytes.executeQuery()) {
              freed = row.next() ? row.getLong(1) : 0;
            }
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM log_events WHERE stream_id = ?")) {
            delete.setLong(1, stream.id());
            delete.executeUpdate();
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM log_streams WHERE id = ?")) {
            delete.setLong(1, stream.id());
            delete.executeUpdate();
          }
          LogEventTable.addStoredBytes(connection, group.id(), -freed);
          return Json.object();
        });
  }

  private CompletableFuture<JsonNode> describeLogStreams(ObjectNode input, RequestContext context) {
    String groupName = GroupIdentifier.nameOf(input, context);
    String prefix = Json.text(input, "logStreamNamePrefix");
    boolean byLastEvent = "LastEventTime".equals(Json.text(input, "orderBy"));
    if (byLastEvent && prefix != null) {
      throw LogsErrors.invalidParameter(
          "Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    boolean descending = input.path("descending").asBoolean(false);
    int limit = input.has("limit") ? input.get("limit").asInt() : DEFAULT_DESCRIBE_LIMIT;
    int offset = offset(Json.text(input, "nextToken"));
    String direction = descending ? " DESC" : " ASC";
    String order =
        byLastEvent
            ? "coalesce(last_event, 0)" + direction + ", name" + direction
            : "name" + direction;
    return store.read(
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), groupName);
          String sql =
              "SELECT "
                  + LogStream.COLUMNS
                  + " FROM log_streams WHERE group_id = ?"
                  + (prefix == null ? "" : " AND substr(name, 1, ?) = ?")
                  + " ORDER BY "
                  + order
                  + " LIMIT ? OFFSET ?";
          List<LogStream> streams = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            int parameter = 1;
            query.setLong(parameter++, group.id());
            if (prefix != null) {
              query.setInt(parameter++, prefix.length());
              query.setString(parameter++, prefix);
            }
            query.setInt(parameter++, limit + 1);
            query.setInt(parameter, offset);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                streams.add(LogStream.from(rows));
              }
            }
          }
          ObjectNode output = Json.object();
          ArrayNode array = output.putArray("logStreams");
          String groupArn = group.arn(context.accountId());
          for (LogStream stream : streams.subList(0, Math.min(limit, streams.size()))) {
            array.add(stream.toJson(groupArn));
          }
          if (streams.size() > limit) {
            output.put("nextToken", PageToken.encode(Integer.toString(offset + limit)));
          }
          return output;
        });
  }

  private static int offset(String token) {
    String position = PageToken.decode(token);
    if (position == null) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(position);
      if (offset < 0) {
        throw PageToken.invalid();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw PageToken.invalid();
    }
  }
}
