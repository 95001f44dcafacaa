package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A log group's tags: TagResource, UntagResource and ListTagsForResource by the group's ARN, and
 * the older TagLogGroup, UntagLogGroup and ListTagsLogGroup by its name.
 */
final class LogTagOperations {
  /** The most tags a log group may have. */
  static final int MAX_TAGS = 50;

  private final LogStore store;

  /** Creates the operations over the store. */
  LogTagOperations(LogStore store) {
    this.store = requireNonNull(store);
  }

  /** Registers each operation's handler by its name. */
  void register(Map<String, LogsOperation> operations) {
    operations.put(
        "TagResource",
        (input, context) ->
            tag(context, groupOfArn(input, context), tags(input.get("tags")), List.of()));
    operations.put(
        "UntagResource",
        (input, context) ->
            tag(context, groupOfArn(input, context), Map.of(), texts(input.get("tagKeys"))));
    operations.put(
        "ListTagsForResource", (input, context) -> list(context, groupOfArn(input, context)));
    operations.put(
        "TagLogGroup",
        (input, context) ->
            tag(context, input.get("logGroupName").asText(), tags(input.get("tags")), List.of()));
    operations.put(
        "UntagLogGroup",
        (input, context) ->
            tag(context, input.get("logGroupName").asText(), Map.of(), texts(input.get("tags"))));
    operations.put(
        "ListTagsLogGroup", (input, context) -> list(context, input.get("logGroupName").asText()));
  }

  /** Returns the tags of a request's tags map, empty when absent. */
  static Map<String, String> tags(JsonNode node) {
    Map<String, String> tags = new TreeMap<>();
    if (node != null) {
      node.fields().forEachRemaining(entry -> tags.put(entry.getKey(), entry.getValue().asText()));
    }
    return tags;
  }

  /** Throws CloudWatch Logs' error for tags a group may not have. */
  static void checkTags(Map<String, String> tags, String resourceName) {
    for (String key : tags.keySet()) {
      if (key.startsWith("aws:")) {
        throw LogsErrors.invalidParameter("Tag keys starting with 'aws:' are reserved: " + key);
      }
    }
    if (tags.size() > MAX_TAGS) {
      throw LogsErrors.tooManyTags(resourceName);
    }
  }

  private static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    node.forEach(value -> texts.add(value.asText()));
    return texts;
  }

  private static String groupOfArn(ObjectNode input, RequestContext context) {
    String arn = input.get("resourceArn").asText();
    if (!arn.startsWith("arn:")) {
      throw LogsErrors.invalidParameter("Invalid resource ARN: " + arn);
    }
    return GroupIdentifier.fromIdentifier(arn, context);
  }

  private CompletableFuture<JsonNode> tag(
      RequestContext context, String name, Map<String, String> added, List<String> removed) {
    return store.write(
        0,
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), name);
          Map<String, String> tags = new TreeMap<>(group.tags());
          tags.putAll(added);
          removed.forEach(tags::remove);
          checkTags(added, group.arn(context.accountId()));
          if (tags.size() > MAX_TAGS) {
            throw LogsErrors.tooManyTags(group.arn(context.accountId()));
          }
          try (PreparedStatement update =
              connection.prepareStatement("UPDATE log_groups SET tags = ? WHERE id = ?")) {
            update.setString(1, LogGroup.tagsText(tags));
            update.setLong(2, group.id());
            update.executeUpdate();
          }
          return Json.object();
        });
  }

  private CompletableFuture<JsonNode> list(RequestContext context, String name) {
    return store.read(
        connection -> {
          LogGroup group = LogGroup.require(connection, context.region(), name);
          ObjectNode output = Json.object();
          ObjectNode tags = output.putObject("tags");
          group.tags().forEach(tags::put);
          return output;
        });
  }
}
