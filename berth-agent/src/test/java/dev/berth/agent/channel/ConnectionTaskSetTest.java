package dev.berth.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection's copy of the task set: the complete set of its first message with the changes of
 * the later ones applied, every entry completed with the definitions the connection delivered.
 */
class ConnectionTaskSetTest {
  private static final String WEB = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";

  @Test
  void theCompleteSetIsHandedOverAsSent() {
    ArrayNode set =
        new ConnectionTaskSet().apply(tasks(entry("a", "RUNNING", true), entry("b", "RUNNING")));

    assertThat(arns(set)).containsExactly("a", "b");
    assertThat(set.get(1).path("taskDefinition").path("family").asText()).isEqualTo("web");
  }

  @Test
  void changesAddNewTasksInArnOrderAndReplaceChangedOnes() {
    ConnectionTaskSet connection = new ConnectionTaskSet();
    connection.apply(tasks(entry("b", "RUNNING", true), entry("d", "RUNNING")));

    ArrayNode set =
        connection.apply(changes(List.of(entry("a", "RUNNING"), entry("d", "STOPPED"))));

    assertThat(arns(set)).containsExactly("a", "b", "d");
    assertThat(desired(set)).containsExactly("RUNNING", "RUNNING", "STOPPED");
    assertThat(set)
        .allSatisfy(
            item ->
                assertThat(item.path("taskDefinition").path("family").asText()).isEqualTo("web"));
  }

  @Test
  void removedTasksLeaveTheSet() {
    ConnectionTaskSet connection = new ConnectionTaskSet();
    connection.apply(tasks(entry("a", "RUNNING", true), entry("b", "STOPPED")));

    ArrayNode set = connection.apply(changes(List.of(), "b", "unknown"));

    assertThat(arns(set)).containsExactly("a");
  }

  @Test
  void aRepeatedMessageLeavesTheSetAsItWas() {
    ConnectionTaskSet connection = new ConnectionTaskSet();
    connection.apply(tasks(entry("a", "RUNNING", true), entry("b", "RUNNING")));
    JsonNode change = changes(List.of(entry("c", "RUNNING"), entry("a", "STOPPED")), "b");

    ArrayNode once = connection.apply(change);
    ArrayNode twice = connection.apply(change);

    assertThat(twice).isEqualTo(once);
    assertThat(arns(twice)).containsExactly("a", "c");
  }

  @Test
  void aCompleteSetReplacesTheWholeSet() {
    ConnectionTaskSet connection = new ConnectionTaskSet();
    connection.apply(tasks(entry("a", "RUNNING", true), entry("b", "RUNNING")));

    assertThat(arns(connection.apply(tasks(entry("c", "RUNNING"))))).containsExactly("c");
  }

  @Test
  void aNewConnectionStartsWithAnEmptySetAndNoDefinitions() {
    new ConnectionTaskSet().apply(tasks(entry("a", "RUNNING", true)));

    ArrayNode set = new ConnectionTaskSet().apply(changes(List.of(entry("b", "RUNNING"))));

    assertThat(arns(set)).containsExactly("b");
    assertThat(set.get(0).has("taskDefinition")).isFalse();
  }

  @Test
  void otherMessagesChangeNothing() {
    ConnectionTaskSet connection = new ConnectionTaskSet();
    connection.apply(tasks(entry("a", "RUNNING", true)));

    assertThat(connection.apply(Json.object().put("type", "stateChangeResults"))).isNull();
    ObjectNode withoutRemoved = Json.object().put("type", "taskChanges");
    withoutRemoved.putArray("tasks");
    assertThat(connection.apply(withoutRemoved)).isNull();
    assertThat(arns(connection.apply(changes(List.of())))).containsExactly("a");
  }

  private static JsonNode tasks(ObjectNode... entries) {
    ObjectNode message = Json.object().put("type", "tasks");
    ArrayNode tasks = message.putArray("tasks");
    for (ObjectNode entry : entries) {
      tasks.add(entry);
    }
    return message;
  }

  private static JsonNode changes(List<ObjectNode> entries, String... removed) {
    ObjectNode message = Json.object().put("type", "taskChanges");
    message.putArray("tasks").addAll(entries);
    ArrayNode arns = message.putArray("removed");
    for (String arn : removed) {
      arns.add(arn);
    }
    return message;
  }

  private static ObjectNode entry(String taskArn, String desiredStatus) {
    return entry(taskArn, desiredStatus, false);
  }

  private static ObjectNode entry(String taskArn, String desiredStatus, boolean withDefinition) {
    ObjectNode entry = Json.object();
    entry
        .putObject("task")
        .put("taskArn", taskArn)
        .put("taskDefinitionArn", WEB)
        .put("desiredStatus", desiredStatus);
    if (withDefinition) {
      entry.putObject("taskDefinition").put("taskDefinitionArn", WEB).put("family", "web");
    }
    return entry;
  }

  private static List<String> arns(JsonNode set) {
    List<String> arns = new ArrayList<>();
    set.forEach(item -> arns.add(item.path("task").path("taskArn").asText()));
    return arns;
  }

  private static List<String> desired(JsonNode set) {
    List<String> statuses = new ArrayList<>();
    set.forEach(item -> statuses.add(item.path("task").path("desiredStatus").asText()));
    return statuses;
  }
}
