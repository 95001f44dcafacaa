package dev.berth.server.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session's task set messages carry each task definition once, and a new session again. */
class TaskSetMessagesTest {
  private static final String WEB = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";
  private static final String DB = "arn:aws:ecs:us-east-1:000000000000:task-definition/db:3";
  private static final String GONE = "arn:aws:ecs:us-east-1:000000000000:task-definition/gone:1";
  private static final Map<String, byte[]> DEFINITIONS =
      Map.of(
          WEB, "{\"family\":\"web\"}".getBytes(UTF_8), DB, "{\"family\":\"db\"}".getBytes(UTF_8));

  private final List<String> looked = new ArrayList<>();

  @Test
  void aTaskDefinitionGoesWithTheFirstTaskOfItOnly() {
    TaskSetMessages session = new TaskSetMessages();

    JsonNode first = send(session, entry("a", WEB), entry("b", WEB));

    assertThat(first.path("type").asText()).isEqualTo("tasks");
    assertThat(first.path("tasks")).hasSize(2);
    assertThat(first.path("tasks").get(0).path("task").path("taskArn").asText()).isEqualTo("a");
    assertThat(first.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    assertThat(first.path("tasks").get(1).has("taskDefinition")).isFalse();
  }

  @Test
  void laterTaskSetsCarryOnlyDefinitionsNotSentBefore() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, entry("a", WEB));

    JsonNode second = send(session, entry("a", WEB), entry("c", DB));

    assertThat(second.path("tasks").get(0).has("taskDefinition")).isFalse();
    assertThat(second.path("tasks").get(1).path("taskDefinition").path("family").asText())
        .isEqualTo("db");
    assertThat(looked).containsExactly(WEB, DB);
    assertThat(send(session, entry("a", WEB), entry("c", DB)).path("tasks"))
        .allSatisfy(item -> assertThat(item.has("taskDefinition")).isFalse());
  }

  @Test
  void aNewSessionGetsEveryDefinitionAgain() {
    send(new TaskSetMessages(), entry("a", WEB));

    JsonNode reconnected = send(new TaskSetMessages(), entry("a", WEB));

    assertThat(reconnected.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
  }

  @Test
  void aDefinitionTheServerLacksIsLookedForAgainNextTime() {
    TaskSetMessages session = new TaskSetMessages();

    assertThat(send(session, entry("a", GONE)).path("tasks").get(0).has("taskDefinition"))
        .isFalse();
    send(session, entry("a", GONE));

    assertThat(looked).containsExactly(GONE, GONE);
  }

  @Test
  void anEmptySetIsAnEmptyArray() {
    JsonNode empty = send(new TaskSetMessages());

    assertThat(empty.path("tasks").isArray()).isTrue();
    assertThat(empty.path("tasks")).isEmpty();
  }

  private JsonNode send(TaskSetMessages session, TaskSetEntry... set) {
    ByteBuf message =
        session.next(
            List.of(set),
            arn -> {
              looked.add(arn);
              return DEFINITIONS.get(arn);
            },
            UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(message.writableBytes()).isZero();
      return Json.MAPPER.readTree(message.toString(UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      message.release();
    }
  }

  private static TaskSetEntry entry(String taskArn, String definitionArn) {
    return new TaskSetEntry(
        definitionArn,
        ("{\"taskArn\":\"" + taskArn + "\",\"taskDefinitionArn\":\"" + definitionArn + "\"}")
            .getBytes(UTF_8));
  }
}
