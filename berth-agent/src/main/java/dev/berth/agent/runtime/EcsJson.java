package dev.berth.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads members of ECS JSON shapes, treating an absent member and JSON null alike. */
final class EcsJson {
  private EcsJson() {}

  /** Returns the member, or null when it is absent or JSON null. */
  static JsonNode member(JsonNode node, String name) {
    JsonNode value = node == null ? null : node.get(name);
    return value == null || value.isNull() || value.isMissingNode() ? null : value;
  }

  /** Returns true if the member is present and not null. */
  static boolean has(JsonNode node, String name) {
    return member(node, name) != null;
  }

  /** Returns true if the member is present and, for arrays and objects, not empty. */
  static boolean hasContent(JsonNode node, String name) {
    JsonNode value = member(node, name);
    return value != null && !((value.isArray() || value.isObject()) && value.isEmpty());
  }

  /** Returns the member's text, or null. */
  static String text(JsonNode node, String name) {
    JsonNode value = member(node, name);
    return value == null ? null : value.asText();
  }

  /** Returns the member as an integer, or null. */
  static Integer integer(JsonNode node, String name) {
    JsonNode value = member(node, name);
    if (value == null) {
      return null;
    }
    if (value.isTextual()) {
      return Integer.valueOf(value.asText().trim());
    }
    return value.asInt();
  }

  /** Returns the member as a boolean, or the fallback when it is absent. */
  static boolean bool(JsonNode node, String name, boolean fallback) {
    JsonNode value = member(node, name);
    return value == null ? fallback : value.asBoolean();
  }

  /** Returns the member's strings, or null when it is absent. */
  static List<String> strings(JsonNode node, String name) {
    JsonNode value = member(node, name);
    if (value == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      out.add(item.asText());
    }
    return out;
  }

  /** Returns the member's strings, or an empty list. */
  static List<String> stringsOrEmpty(JsonNode node, String name) {
    List<String> out = strings(node, name);
    return out == null ? List.of() : out;
  }

  /** Returns the member's string map in order, or an empty map. */
  static Map<String, String> stringMap(JsonNode node, String name) {
    JsonNode value = member(node, name);
    Map<String, String> out = new LinkedHashMap<>();
    if (value != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        out.put(entry.getKey(), entry.getValue().isNull() ? "" : entry.getValue().asText());
      }
    }
    return out;
  }

  /** Returns the member's items, or none. */
  static List<JsonNode> items(JsonNode node, String name) {
    JsonNode value = member(node, name);
    List<JsonNode> out = new ArrayList<>();
    if (value != null) {
      value.forEach(out::add);
    }
    return out;
  }
}
