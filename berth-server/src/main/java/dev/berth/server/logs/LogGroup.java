package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A log group as stored: its name in a region, when it was made, its retention (null: never
 * expire), the bytes of its events and its tags.
 */
record LogGroup(
    long id,
    String region,
    String name,
    long created,
    Integer retentionDays,
    String kmsKeyId,
    String groupClass,
    boolean deletionProtection,
    long storedBytes,
    Map<String, String> tags) {
  /** The columns every query of log groups selects, in {@link #from}'s order. */
  static final String COLUMNS =
      "id, region, name, created, retention_days, kms_key_id, group_class, deletion_protection,"
          + " stored_bytes, tags";

  /** Creates a group; the tags are copied in key order. */
  LogGroup {
    requireNonNull(region);
    requireNonNull(name);
    tags = new TreeMap<>(tags);
  }

  /** Returns the group of a region by name, or null. */
  static LogGroup find(Connection connection, String region, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM log_groups WHERE region = ? AND name = ?")) {
      query.setString(1, region);
      query.setString(2, name);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? from(row) : null;
      }
    }
  }

  /** Returns the group of a region by name, or throws ResourceNotFoundException. */
  static LogGroup require(Connection connection, String region, String name) throws SQLException {
    LogGroup group = find(connection, region, name);
    if (group == null) {
      throw LogsErrors.groupNotFound();
    }
    return group;
  }

  /** Reads a group from a row selected with {@link #COLUMNS}. */
  static LogGroup from(ResultSet row) throws SQLException {
    int retention = row.getInt(5);
    Integer retentionDays = row.wasNull() ? null : retention;
    return new LogGroup(
        row.getLong(1),
        row.getString(2),
        row.getString(3),
        row.getLong(4),
        retentionDays,
        row.getString(6),
        row.getString(7),
        row.getInt(8) != 0,
        row.getLong(9),
        parseTags(row.getString(10)));
  }

  /** Returns the group's ARN as TagResource takes it: {@code arn:aws:logs:R:A:log-group:NAME}. */
  String arn(String accountId) {
    return "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + name;
  }

  /** Returns the group as DescribeLogGroups answers it. */
  ObjectNode toJson(String accountId) {
    ObjectNode json = Json.object();
    json.put("logGroupName", name);
    json.put("creationTime", created);
    if (retentionDays != null) {
      json.put("retentionInDays", retentionDays);
    }
    json.put("metricFilterCount", 0);
    // DescribeLogGroups' arn ends in ":*", which names the group's streams too; logGroupArn does
    // not, and is what TagResource takes.
    json.put("arn", arn(accountId) + ":*");
    json.put("storedBytes", storedBytes);
    if (kmsKeyId != null) {
      json.put("kmsKeyId", kmsKeyId);
    }
    json.put("logGroupClass", groupClass);
    json.put("logGroupArn", arn(accountId));
    json.put("deletionProtectionEnabled", deletionProtection);
    return json;
  }

  /** Returns tags as the text they are stored as. */
  static String tagsText(Map<String, String> tags) {
    try {
      return Json.MAPPER.writeValueAsString(new TreeMap<>(tags));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parseTags(String text) {
    try {
      return Json.MAPPER.readValue(text, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable tags of a log group: " + text, e);
    }
  }
}
