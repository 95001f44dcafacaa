package dev.berth.server.logs;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the log events table: appending a batch to a stream, reading a stream or a group in
 * (timestamp, eventId) order from a position, and removing old events, with the group's stored
 * bytes kept in step.
 */
final class LogEventTable {
  /** An event as stored: its id (its eventId), stream, timestamp, ingestion time and message. */
  record StoredEvent(long id, String streamName, long timestamp, long ingestion, String message) {}

  /** An event PutLogEvents takes. */
  record InputEvent(long timestamp, String message) {
    /** Returns the message's size in UTF-8, which counts against the batch and the group. */
    int bytes() {
      return message.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  private LogEventTable() {}

  /** Appends events to a stream, updating the stream's timestamps and the group's bytes. */
  static void append(
      Connection connection, LogGroup group, LogStream stream, List<InputEvent> events, long now)
      throws SQLException {
    long bytes = 0;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO log_events (group_id, stream_id, timestamp, ingestion, message)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (InputEvent event : events) {
        insert.setLong(1, group.id());
        insert.setLong(2, stream.id());
        insert.setLong(3, event.timestamp());
        insert.setLong(4, now);
        insert.setString(5, event.message());
        insert.addBatch();
        bytes += event.bytes();
      }
      insert.executeBatch();
    }
    long first = events.getFirst().timestamp();
    long last = events.getLast().timestamp();
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE log_streams SET first_event = min(coalesce(first_event, ?), ?),"
                + " last_event = max(coalesce(last_event, ?), ?), last_ingestion = ?,"
                + " sequence = sequence + 1 WHERE id = ?")) {
      update.setLong(1, first);
      update.setLong(2, first);
      update.setLong(3, last);
      update.setLong(4, last);
      update.setLong(5, now);
      update.setLong(6, stream.id());
      update.executeUpdate();
    }
    addStoredBytes(connection, group.id(), bytes);
  }

  /** Counts bytes into (or, negative, out of) a group's stored bytes. */
  static void addStoredBytes(Connection connection, long groupId, long bytes) throws SQLException {
    if (bytes == 0) {
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE log_groups SET stored_bytes = max(0, stored_bytes + ?) WHERE id = ?")) {
      update.setLong(1, bytes);
      update.setLong(2, groupId);
      update.executeUpdate();
    }
  }

  /**
   * Removes a group's oldest events until it keeps at most {@code keepBytes}; returns the bytes
   * removed.
   */
  static long evictOldest(Connection connection, long groupId, long storedBytes, long keepBytes)
      throws SQLException {
    long excess = storedBytes - keepBytes;
    if (excess <= 0) {
      return 0;
    }
    long freed = 0;
    long lastTimestamp = Long.MIN_VALUE;
    long lastId = Long.MIN_VALUE;
    try (PreparedStatement oldest =
        connection.prepareStatement(
            "SELECT timestamp, id, length(CAST(message AS BLOB)) FROM log_events"
                + " WHERE group_id = ? ORDER BY timestamp, id")) {
      oldest.setLong(1, groupId);
      try (ResultSet rows = oldest.executeQuery()) {
        while (freed < excess && rows.next()) {
          lastTimestamp = rows.getLong(1);
          lastId = rows.getLong(2);
          freed += rows.getLong(3);
        }
      }
    }
    if (lastId == Long.MIN_VALUE) {
      return 0;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM log_events WHERE group_id = ? AND (timestamp, id) <= (?, ?)")) {
      delete.setLong(1, groupId);
      delete.setLong(2, lastTimestamp);
      delete.setLong(3, lastId);
      delete.executeUpdate();
    }
    addStoredBytes(connection, groupId, -freed);
    return freed;
  }

  /**
   * Removes at most {@code maxEvents} of a group's events older than the cutoff; returns how many
   * it removed.
   */
  static int expire(Connection connection, long groupId, long cutoff, int maxEvents)
      throws SQLException {
    long freed = 0;
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement old =
        connection.prepareStatement(
            "SELECT id, length(CAST(message AS BLOB)) FROM log_events"
                + " WHERE group_id = ? AND timestamp < ? ORDER BY timestamp, id LIMIT ?")) {
      old.setLong(1, groupId);
      old.setLong(2, cutoff);
      old.setInt(3, maxEvents);
      try (ResultSet rows = old.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
          freed += rows.getLong(2);
        }
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM log_events WHERE id = ?")) {
      for (long id : ids) {
        delete.setLong(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    addStoredBytes(connection, groupId, -freed);
    return ids.size();
  }

  /**
   * Returns up to {@code limit} events of a stream within [startTime, endTime) after (forward) or
   * before (backward) a position, in ascending order either way.
   */
  static List<StoredEvent> ofStream(
      Connection connection,
      LogStream stream,
      long startTime,
      long endTime,
      EventPosition from,
      boolean forward,
      int limit)
      throws SQLException {
    String sql =
        "SELECT id, timestamp, ingestion, message FROM log_events WHERE stream_id = ?"
            + " AND timestamp >= ? AND timestamp < ? AND (timestamp, id) "
            + (forward ? ">" : "<")
            + " (?, ?) ORDER BY timestamp "
            + (forward ? "ASC" : "DESC")
            + ", id "
            + (forward ? "ASC" : "DESC")
            + " LIMIT ?";
    List<StoredEvent> events = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setLong(1, stream.id());
      query.setLong(2, startTime);
      query.setLong(3, endTime);
      query.setLong(4, from.timestamp());
      query.setLong(5, from.id());
      query.setInt(6, limit);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(
              new StoredEvent(
                  rows.getLong(1),
                  stream.name(),
                  rows.getLong(2),
                  rows.getLong(3),
                  rows.getString(4)));
        }
      }
    }
    if (!forward) {
      java.util.Collections.reverse(events);
    }
    return events;
  }

  /**
   * Returns up to {@code limit} events of a group within [startTime, endTime] after a position, in
   * ascending order, from the streams a condition on the stream table's {@code s} picks.
   */
  static List<StoredEvent> ofGroup(
      Connection connection,
      long groupId,
      StreamSelection streams,
      long startTime,
      long endTime,
      EventPosition after,
      int limit)
      throws SQLException {
    String sql =
        "SELECT e.id, s.name, e.timestamp, e.ingestion, e.message FROM log_events e"
            + " JOIN log_streams s ON s.id = e.stream_id WHERE e.group_id = ?"
            + " AND e.timestamp >= ? AND e.timestamp <= ? AND (e.timestamp, e.id) > (?, ?)"
            + streams.condition()
            + " ORDER BY e.timestamp, e.id LIMIT ?";
    List<StoredEvent> events = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      int parameter = 1;
      query.setLong(parameter++, groupId);
      query.setLong(parameter++, startTime);
      query.setLong(parameter++, endTime);
      query.setLong(parameter++, after.timestamp());
      query.setLong(parameter++, after.id());
      for (String value : streams.parameters()) {
        query.setString(parameter++, value);
      }
      query.setInt(parameter, limit);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(
              new StoredEvent(
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getLong(3),
                  rows.getLong(4),
                  rows.getString(5)));
        }
      }
    }
    return events;
  }

  /** Which streams of a group a FilterLogEvents reads: a SQL condition on {@code s.name}. */
  record StreamSelection(String condition, List<String> parameters) {
    /** Every stream. */
    static StreamSelection all() {
      return new StreamSelection("", List.of());
    }

    /** The streams named. */
    static StreamSelection named(List<String> names) {
      return new StreamSelection(
          " AND s.name IN (" + "?, ".repeat(names.size() - 1) + "?)", List.copyOf(names));
    }

    /** The streams whose names start with the prefix. */
    static StreamSelection prefixed(String prefix) {
      return new StreamSelection(
          " AND substr(s.name, 1, " + prefix.length() + ") = ?", List.of(prefix));
    }
  }
}
