package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreateLogGroup, DeleteLogGroup, DescribeLogGroups and the retention policy: the log groups of a
 * region, each a row of the logs' store.
 */
final class LogGroupOperations {
  /** The retention periods CloudWatch Logs accepts, in days. */
  static final List<Integer> RETENTION_DAYS =
      List.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);

  private static final int DEFAULT_DESCRIBE_LIMIT = 50;

  private final LogStore store;
  private final Clock clock;

  /** Creates the operations over the store; creation times come from the clock. */
  LogGroupOperations(LogStore store, Clock clock) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
  }

  /** Registers each operation's handler by its name. */
  void register(Map<String, LogsOperation> operations) {
    operations.put("CreateLogGroup", this::createLogGroup);
    operations.put("DeleteLogGroup", this::deleteLogGroup);
    operations.put("DescribeLogGroups", this::describeLogGroups);
    operations.put("PutRetentionPolicy", this::putRetentionPolicy);
    operations.put("DeleteRetentionPolicy", this::deleteRetentionPolicy);
  }

  private CompletableFuture<JsonNode> createLogGroup(ObjectNode input, RequestContext context) {
    String name = input.get("logGroupName").asText();
    Map<String, String> tags = LogTagOperations.tags(input.get("tags"));
    LogTagOperations.checkTags(tags, name);
    String groupClass = input.has("logGroupClass") ? input.get("logGroupClass").asText() : null;
    String kmsKeyId = Json.text(input, "kmsKeyId");
    boolean protection = input.path("deletionProtectionEnabled").asBoolean(false);
    long now = clock.millis();
    return store.write(
        0,
        connection -> {
          if (LogGroup.find(connection, context.region(), name) != null) {
            throw LogsErrors.groupExists();
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO log_groups (region, name, created, kms_key_id, group_class,"
                      + " deletion_protection, tags) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, context.region());
            insert.setString(2, name);
            insert.setLong(3, now);
            insert.setString(4, kmsKeyId);
            insert.setString(5, groupClass == null ? "STANDARD" : groupClass);
            insert.setInt(6, protection ? 1 : 0);
            insert.setString(7, LogGroup.tagsText(tags));
            insert.executeUpdate();
          }
          return Json.object();
        });
  }

  private CompletableFuture<JsonNode> deleteLogGroup(ObjectNode input, RequestContext context) {
    String name = input.get("logGroupName").asText();
    return store.write(
        0,
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), name);
          if (group.deletionProtection()) {
            throw new AwsException(
                "ValidationException",
                400,
                "Log group " + name + " has deletion protection enabled; turn it off first.");
          }
          deleteWhere(connection, "DELETE FROM log_events WHERE group_id = ?", group.id());
          deleteWhere(connection, "DELETE FROM log_streams WHERE group_id = ?", group.id());
          deleteWhere(connection, "DELETE FROM log_groups WHERE id = ?", group.id());
          return Json.object();
        });
  }

  private CompletableFuture<JsonNode> describeLogGroups(ObjectNode input, RequestContext context) {
    String prefix = Json.text(input, "logGroupNamePrefix");
    String pattern = Json.text(input, "logGroupNamePattern");
    if (prefix != null && pattern != null) {
      throw LogsErrors.invalidParameter(
          "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    }
    List<String> identifiers = new ArrayList<>();
    for (JsonNode identifier : input.path("logGroupIdentifiers")) {
      identifiers.add(GroupIdentifier.fromIdentifier(identifier.asText(), context));
    }
    if (!identifiers.isEmpty() && (prefix != null || pattern != null)) {
      throw LogsErrors.invalidParameter(
          "logGroupIdentifiers cannot be combined with a prefix or a pattern.");
    }
    int limit = input.has("limit") ? input.get("limit").asInt() : DEFAULT_DESCRIBE_LIMIT;
    String after = PageToken.decode(Json.text(input, "nextToken"));
    return store.read(
        connection -> {
          StringBuilder sql =
              new StringBuilder(
                  "SELECT " + LogGroup.COLUMNS + " FROM log_groups WHERE region = ? AND name > ?");
          List<String> parameters =
              new ArrayList<>(List.of(context.region(), after == null ? "" : after));
          if (prefix != null) {
            sql.append(" AND substr(name, 1, ?) = ?");
            parameters.add(Integer.toString(prefix.length()));
            parameters.add(prefix);
          }
          if (pattern != null && !pattern.isEmpty()) {
            // The pattern matches anywhere in the name, ignoring case, as CloudWatch Logs does.
            sql.append(" AND instr(lower(name), lower(?)) > 0");
            parameters.add(pattern);
          }
          if (!identifiers.isEmpty()) {
            sql.append(" AND name IN (").append("?, ".repeat(identifiers.size() - 1)).append("?)");
            parameters.addAll(identifiers);
          }
          sql.append(" ORDER BY name LIMIT ").append(limit + 1);
          List<LogGroup> groups = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
              query.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                groups.add(LogGroup.from(rows));
              }
            }
          }
          ObjectNode output = Json.object();
          ArrayNode array = output.putArray("logGroups");
          for (LogGroup group : groups.subList(0, Math.min(limit, groups.size()))) {
            array.add(group.toJson(context.accountId()));
          }
          if (groups.size() > limit) {
            output.put("nextToken", PageToken.encode(groups.get(limit - 1).name()));
          }
          return output;
        });
  }

  private CompletableFuture<JsonNode> putRetentionPolicy(ObjectNode input, RequestContext context) {
    String name = input.get("logGroupName").asText();
    int days = input.get("retentionInDays").asInt();
    if (!RETENTION_DAYS.contains(days)) {
      throw LogsErrors.invalidParameter(
          "1 validation error detected: Value '"
              + days
              + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum"
              + " value set: "
              + RETENTION_DAYS);
    }
    return setRetention(context.region(), name, days);
  }

  private CompletableFuture<JsonNode> deleteRetentionPolicy(
      ObjectNode input, RequestContext context) {
    return setRetention(context.region(), input.get("logGroupName").asText(), null);
  }

  private CompletableFuture<JsonNode> setRetention(String region, String name, Integer days) {
    return store.write(
        0,
        connection -> {
          LogGroup group = LogGroup.require(connection, region, name);
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE log_groups SET retention_days = ? WHERE id = ?")) {
            if (days == null) {
              update.setNull(1, java.sql.Types.INTEGER);
            } else {
              update.setInt(1, days);
            }
            update.setLong(2, group.id());
            update.executeUpdate();
          }
          return Json.object();
        });
  }

  private static void deleteWhere(Connection connection, String sql, long id) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(sql)) {
      delete.setLong(1, id);
      delete.executeUpdate();
    }
  }
}
