package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.ArrayList;
import java.util.List;

/** A container instance or task attribute: a name and an optional value, as ECS's Attribute. */
public record Attribute(String name, String value) {
  /** Creates an attribute; the value may be null. */
  public Attribute {
    requireNonNull(name);
  }

  /** Returns the attributes of an ECS {@code Attributes} list; absent means none. */
  public static List<Attribute> fromJson(JsonNode attributes) {
    List<Attribute> result = new ArrayList<>();
    if (attributes != null) {
      for (JsonNode attribute : attributes) {
        result.add(new Attribute(attribute.path("name").asText(), Json.text(attribute, "value")));
      }
    }
    return List.copyOf(result);
  }

  /** Returns the attributes as an ECS {@code Attributes} list of names and values. */
  public static ArrayNode toJson(List<Attribute> attributes) {
    ArrayNode array = Json.array();
    for (Attribute attribute : attributes) {
      ObjectNode node = array.addObject();
      node.put("name", attribute.name());
      if (attribute.value() != null) {
        node.put("value", attribute.value());
      }
    }
    return array;
  }
}
