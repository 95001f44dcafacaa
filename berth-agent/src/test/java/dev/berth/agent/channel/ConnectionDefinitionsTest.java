package dev.berth.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import org.junit.jupiter.api.Test;

/** The task definitions a connection delivered complete its later task sets, and only its own. */
class ConnectionDefinitionsTest {
  private static final String WEB = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";
  private static final String DB = "arn:aws:ecs:us-east-1:000000000000:task-definition/db:1";

  @Test
  void aDefinitionSentEarlierCompletesALaterTaskSet() {
    ConnectionDefinitions connection = new ConnectionDefinitions();
    connection.complete(set(entry("a", WEB, true)));

    ArrayNode later = connection.complete(set(entry("a", WEB, false), entry("b", WEB, false)));

    assertThat(later)
        .allSatisfy(
            item ->
                assertThat(item.path("taskDefinition").path("family").asText()).isEqualTo("web"));
  }

  @Test
  void aDefinitionCompletesTheOtherTasksOfItsOwnTaskSet() {
    ArrayNode set =
        new ConnectionDefinitions().complete(set(entry("a", WEB, false), entry("b", WEB, true)));

    assertThat(set.get(0).path("taskDefinition").path("family").asText()).isEqualTo("web");
  }

  @Test
  void aNewConnectionKnowsNoDefinitionOfTheOldOne() {
    new ConnectionDefinitions().complete(set(entry("a", WEB, true)));

    ArrayNode set = new ConnectionDefinitions().complete(set(entry("a", WEB, false)));

    assertThat(set.get(0).has("taskDefinition")).isFalse();
  }

  @Test
  void aDefinitionThatNeverCameIsLeftOut() {
    ConnectionDefinitions connection = new ConnectionDefinitions();
    connection.complete(set(entry("a", WEB, true)));

    ArrayNode set = connection.complete(set(entry("c", DB, false)));

    assertThat(set.get(0).has("taskDefinition")).isFalse();
  }

  private static ArrayNode set(ObjectNode... entries) {
    ArrayNode set = Json.array();
    for (ObjectNode entry : entries) {
      set.add(entry);
    }
    return set;
  }

  private static ObjectNode entry(String taskArn, String definitionArn, boolean withDefinition) {
    ObjectNode entry = Json.object();
    entry.putObject("task").put("taskArn", taskArn).put("taskDefinitionArn", definitionArn);
    if (withDefinition) {
      String family = definitionArn.substring(definitionArn.indexOf('/') + 1).split(":")[0];
      entry
          .putObject("taskDefinition")
          .put("taskDefinitionArn", definitionArn)
          .put("family", family);
    }
    return entry;
  }
}
