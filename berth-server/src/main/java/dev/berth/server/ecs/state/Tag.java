package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A resource tag: a key and a value, as ECS's {@code Tag} shape. */
public record Tag(String key, String value) {
  /** Creates a tag; a missing value is the empty string, as ECS stores it. */
  public Tag {
    requireNonNull(key);
    value = value == null ? "" : value;
  }

  /**
   * Returns a tag as ECS's JSON gives it, stored or in a request; a missing key is the empty
   * string, which the tag rules refuse as ECS does.
   */
  @JsonCreator
  public static Tag of(@JsonProperty("key") String key, @JsonProperty("value") String value) {
    return new Tag(key == null ? "" : key, value);
  }

  /** Returns the tags of an ECS {@code Tags} list; absent means none. */
  public static List<Tag> fromJson(JsonNode tags) {
    List<Tag> result = new ArrayList<>();
    if (tags != null) {
      for (JsonNode tag : tags) {
        result.add(new Tag(tag.path("key").asText(), Json.text(tag, "value")));
      }
    }
    return List.copyOf(result);
  }

  /** Returns the tags as an ECS {@code Tags} list. */
  public static ArrayNode toJson(List<Tag> tags) {
    ArrayNode array = Json.array();
    for (Tag tag : tags) {
      ObjectNode node = array.addObject();
      node.put("key", tag.key());
      node.put("value", tag.value());
    }
    return array;
  }

  /** Returns the tags with the others merged in: a new value replaces the old for the same key. */
  public static List<Tag> merge(List<Tag> tags, List<Tag> others) {
    Map<String, Tag> byKey = new LinkedHashMap<>();
    tags.forEach(tag -> byKey.put(tag.key(), tag));
    others.forEach(tag -> byKey.put(tag.key(), tag));
    return List.copyOf(byKey.values());
  }

  /** Returns the tags without those whose keys are listed. */
  public static List<Tag> remove(List<Tag> tags, List<String> keys) {
    return tags.stream().filter(tag -> !keys.contains(tag.key())).toList();
  }
}
