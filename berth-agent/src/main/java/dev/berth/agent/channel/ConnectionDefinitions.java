package dev.berth.agent.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.agent.AgentChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The task definitions one connection of the {@link AgentChannel} has delivered, by ARN: the server
 * sends each at most once a connection, so the agent keeps them to complete the entries of later
 * messages. A new connection starts with none, as the server's new session sends every one again.
 */
final class ConnectionDefinitions {
  private final Map<String, JsonNode> byArn = new HashMap<>();

  /**
   * Completes the entries of a message in place: keeps each task definition they carry, and gives
   * every entry without one the definition this connection delivered before for its task's
   * taskDefinitionArn. An entry whose definition never came is left without one: the agent refuses
   * such a task if it does not run it yet.
   */
  ArrayNode complete(ArrayNode taskSet) {
    for (JsonNode entry : taskSet) {
      JsonNode definition = entry.path("taskDefinition");
      if (definition.isObject()) {
        byArn.put(entry.path("task").path("taskDefinitionArn").asText(), definition);
      }
    }
    for (JsonNode entry : taskSet) {
      if (entry instanceof ObjectNode item && !item.path("taskDefinition").isObject()) {
        JsonNode known = byArn.get(entry.path("task").path("taskDefinitionArn").asText());
        if (known != null) {
          item.set("taskDefinition", known);
        }
      }
    }
    return taskSet;
  }
}
