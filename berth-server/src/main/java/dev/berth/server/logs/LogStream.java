package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A log stream as stored: its name in its group, when it was made, the timestamps of its first and
 * last events and of its last ingestion (null before any), and how many batches it has taken.
 */
record LogStream(
    long id,
    long groupId,
    String name,
    long created,
    Long firstEvent,
    Long lastEvent,
    Long lastIngestion,
    long sequence) {
  /** The columns every query of log streams selects, in {@link #from}'s order. */
  static final String COLUMNS =
      "id, group_id, name, created, first_event, last_event, last_ingestion, sequence";

  /** Creates a stream; its name is required. */
  LogStream {
    requireNonNull(name);
  }

  /** Returns a group's stream by name, or throws ResourceNotFoundException. */
  static LogStream require(Connection connection, long groupId, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM log_streams WHERE group_id = ? AND name = ?")) {
      query.setLong(1, groupId);
      query.setString(2, name);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          throw LogsErrors.streamNotFound();
        }
        return from(row);
      }
    }
  }

  /** Reads a stream from a row selected with {@link #COLUMNS}. */
  static LogStream from(ResultSet row) throws SQLException {
    return new LogStream(
        row.getLong(1),
        row.getLong(2),
        row.getString(3),
        row.getLong(4),
        nullableLong(row, 5),
        nullableLong(row, 6),
        nullableLong(row, 7),
        row.getLong(8));
  }

  /** Returns the stream's upload sequence token, which PutLogEvents answers and then ignores. */
  String sequenceToken() {
    return String.format("%056d", sequence);
  }

  /** Returns the stream as DescribeLogStreams answers it, in a group whose ARN is given. */
  ObjectNode toJson(String groupArn) {
    ObjectNode json = Json.object();
    json.put("logStreamName", name);
    json.put("creationTime", created);
    if (firstEvent != null) {
      json.put("firstEventTimestamp", firstEvent);
      json.put("lastEventTimestamp", lastEvent);
      json.put("lastIngestionTime", lastIngestion);
    }
    json.put("uploadSequenceToken", sequenceToken());
    json.put("arn", groupArn + ":log-stream:" + name);
    // CloudWatch Logs has answered 0 here since 2019: storedBytes is the group's.
    json.put("storedBytes", 0);
    return json;
  }

  private static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
