package dev.berth.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.api.model.ServiceModel;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an AWS Query form ({@code Names.member.1=a&Port=80}) into the JSON the operation's input
 * shape describes, so that the model-driven {@link dev.berth.api.model.InputValidator} checks it.
 * Lists are {@code NAME.member.N}, maps {@code NAME.entry.N.key/value}, as botocore writes them.
 */
final class QueryForm {
  private final ServiceModel model;
  private final String validationErrorCode;

  QueryForm(ServiceModel model, String validationErrorCode) {
    this.model = model;
    this.validationErrorCode = validationErrorCode;
  }

  /** Returns the decoded parameters of a form body or query string, in their order. */
  static Map<String, String> parameters(String form) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (form == null || form.isEmpty()) {
      return parameters;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        parameters.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new AwsException("MalformedQueryString", 400, "Malformed query string: " + pair);
      }
    }
    return parameters;
  }

  /** Returns the input structure of a shape read from the parameters (Action/Version excluded). */
  ObjectNode read(String shapeName, Map<String, String> parameters) {
    Node root = new Node();
    parameters.forEach(
        (name, value) -> {
          if (!name.equals("Action") && !name.equals("Version")) {
            root.put(name.split("\\.", -1), 0, value);
          }
        });
    JsonNode value = shapeName == null ? Json.object() : read(shapeName, root, "");
    return value instanceof ObjectNode object ? object : Json.object();
  }

  private JsonNode read(String shapeName, Node node, String path) {
    JsonNode shape = model.shape(shapeName);
    switch (shape.path("type").asText()) {
      case "structure" -> {
        ObjectNode object = Json.object();
        shape
            .path("members")
            .properties()
            .forEach(
                member -> {
                  String wireName = member.getValue().path("locationName").asText(member.getKey());
                  Node child = node.children.get(wireName);
                  if (child != null) {
                    String childPath =
                        path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                    JsonNode value =
                        read(member.getValue().path("shape").asText(), child, childPath);
                    if (value != null) {
                      object.set(member.getKey(), value);
                    }
                  }
                });
        return object;
      }
      case "list" -> {
        ArrayNode array = Json.array();
        boolean flattened = shape.path("flattened").asBoolean(false);
        String memberName = shape.path("member").path("locationName").asText("member");
        Node items = flattened ? node : node.children.get(memberName);
        if (items == null) {
          // "Names=" with nothing after it is how the Query protocol sends an empty list.
          return node.value != null && node.value.isEmpty() ? array : null;
        }
        String memberShape = shape.path("member").path("shape").asText();
        for (Map.Entry<Integer, Node> item : items.indexed(path, this).entrySet()) {
          array.add(read(memberShape, item.getValue(), path + "[" + item.getKey() + "]"));
        }
        return array;
      }
      case "map" -> {
        ObjectNode map = Json.object();
        Node entries = node.children.get("entry");
        if (entries == null) {
          return map;
        }
        String valueShape = shape.path("value").path("shape").asText();
        for (Node entry : entries.indexed(path, this).values()) {
          Node key = entry.children.get("key");
          Node value = entry.children.get("value");
          if (key != null && key.value != null && value != null) {
            map.set(key.value, read(valueShape, value, path + "." + key.value));
          }
        }
        return map;
      }
      default -> {
        return scalar(shape.path("type").asText(), node.value == null ? "" : node.value, path);
      }
    }
  }

  private JsonNode scalar(String type, String text, String path) {
    try {
      return switch (type) {
        case "integer", "long" -> LongNode.valueOf(Long.parseLong(text.trim()));
        case "double", "float" -> DecimalNode.valueOf(new BigDecimal(text.trim()));
        case "boolean" -> {
          if (!text.equals("true") && !text.equals("false")) {
            throw new NumberFormatException(text);
          }
          yield BooleanNode.valueOf(Boolean.parseBoolean(text));
        }
        case "timestamp" ->
            DecimalNode.valueOf(BigDecimal.valueOf(Instant.parse(text).toEpochMilli(), 3));
        default -> TextNode.valueOf(text);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw invalid(text, path, "Member must be " + ("boolean".equals(type) ? "a boolean" : type));
    }
  }

  AwsException invalid(String value, String path, String constraint) {
    return new AwsException(
        validationErrorCode,
        400,
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + path
            + "' failed to satisfy constraint: "
            + constraint);
  }

  /** A tree of the dotted parameter names. */
  private static final class Node {
    private final Map<String, Node> children = new LinkedHashMap<>();
    private String value;

    void put(String[] parts, int at, String text) {
      if (at == parts.length) {
        value = text;
        return;
      }
      children.computeIfAbsent(parts[at], key -> new Node()).put(parts, at + 1, text);
    }

    /** Returns the children named 1, 2, ... in index order; a non-number index is invalid. */
    Map<Integer, Node> indexed(String path, QueryForm form) {
      Map<Integer, Node> items = new TreeMap<>();
      children.forEach(
          (index, child) -> {
            try {
              int number = Integer.parseInt(index);
              if (number < 1) {
                throw new NumberFormatException(index);
              }
              items.put(number, child);
            } catch (NumberFormatException e) {
              throw form.invalid(index, path, "List index must be a positive number");
            }
          });
      return items;
    }
  }
}
