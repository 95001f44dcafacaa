package dev.berth.agent.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.util.Map;
import java.util.TreeMap;

/**
 * The task set as one connection of the {@link AgentChannel} has delivered it: the complete set of
 * its first message, with the changes of every later one applied, each entry completed with the
 * task definitions the connection delivered. A new connection starts with an empty set and no
 * definitions, as the server's new session sends the complete set again.
 */
public final class ConnectionTaskSet {
  private final ConnectionDefinitions definitions = new ConnectionDefinitions();
  // Task ARN -> its entry, in ARN order as the server sends them.
  private final Map<String, JsonNode> entries = new TreeMap<>();

  /**
   * Applies a {@value AgentChannel#TASKS} or {@value AgentChannel#TASK_CHANGES} message and returns
   * the complete set as it then stands, a new array of the kept entries; returns null for a message
   * of another type or one not of its shape, which changes nothing.
   */
  public ArrayNode apply(JsonNode message) {
    String type = message.path("type").asText();
    JsonNode tasks = message.path("tasks");
    JsonNode removed = message.path("removed");
    if (AgentChannel.TASKS.equals(type) && tasks.isArray()) {
      entries.clear();
    } else if (!AgentChannel.TASK_CHANGES.equals(type) || !tasks.isArray() || !removed.isArray()) {
      return null;
    }
    for (JsonNode taskArn : removed) {
      entries.remove(taskArn.asText());
    }
    for (JsonNode entry : definitions.complete((ArrayNode) tasks)) {
      entries.put(entry.path("task").path("taskArn").asText(), entry);
    }
    ArrayNode set = Json.array();
    entries.values().forEach(set::add);
    return set;
  }
}
