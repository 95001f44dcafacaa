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

/**
 * A session sends the complete task set first and then only what changed, each task definition
 * once; a new session starts again with the complete set and every definition.
 */
class TaskSetMessagesTest {
  private static final String WEB = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1";
  private static final String DB = "arn:aws:ecs:us-east-1:000000000000:task-definition/db:3";
  private static final String GONE = "arn:aws:ecs:us-east-1:000000000000:task-definition/gone:1";
  private static final Map<String, byte[]> DEFINITIONS =
      Map.of(
          WEB, "{\"family\":\"web\"}".getBytes(UTF_8), DB, "{\"family\":\"db\"}".getBytes(UTF_8));

  private final List<String> looked = new ArrayList<>();
  private final List<String> serialized = new ArrayList<>();

  @Test
  void theFirstMessageIsTheCompleteSet() {
    JsonNode first = send(new TaskSetMessages(), running("a", WEB), running("b", DB));

    assertThat(first.path("type").asText()).isEqualTo("tasks");
    assertThat(arns(first.path("tasks"))).containsExactly("a", "b");
    assertThat(first.has("removed")).isFalse();
  }

  @Test
  void anEmptySetIsSentFirstAsAnEmptyArray() {
    JsonNode empty = send(new TaskSetMessages());

    assertThat(empty.path("type").asText()).isEqualTo("tasks");
    assertThat(empty.path("tasks").isArray()).isTrue();
    assertThat(empty.path("tasks")).isEmpty();
  }

  @Test
  void aNewTaskIsSentAlone() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB));

    JsonNode changes = send(session, running("a", WEB), running("b", WEB));

    assertThat(changes.path("type").asText()).isEqualTo("taskChanges");
    assertThat(arns(changes.path("tasks"))).containsExactly("b");
    assertThat(changes.path("removed").isArray()).isTrue();
    assertThat(changes.path("removed")).isEmpty();
  }

  @Test
  void aDesiredStatusChangeSendsTheTaskAgain() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB), running("b", WEB));

    JsonNode changes = send(session, running("a", WEB), entry("b", WEB, "STOPPED", false));

    assertThat(arns(changes.path("tasks"))).containsExactly("b");
    assertThat(changes.path("tasks").get(0).path("task").path("desiredStatus").asText())
        .isEqualTo("STOPPED");
  }

  @Test
  void becomingAndCeasingToBeDeactivatingSendsTheTaskAgain() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, entry("a", WEB, "STOPPED", false));

    JsonNode draining = send(session, entry("a", WEB, "STOPPED", true));
    JsonNode drained = send(session, entry("a", WEB, "STOPPED", false));

    assertThat(arns(draining.path("tasks"))).containsExactly("a");
    assertThat(draining.path("tasks").get(0).path("task").path("lastStatus").asText())
        .isEqualTo("DEACTIVATING");
    assertThat(arns(drained.path("tasks"))).containsExactly("a");
    assertThat(drained.path("tasks").get(0).path("task").path("lastStatus").asText())
        .isEqualTo("STOPPING");
  }

  @Test
  void aTaskThatLeftTheSetIsRemovedOnce() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB), running("b", WEB), running("c", WEB));

    JsonNode changes = send(session, running("b", WEB));

    assertThat(changes.path("tasks")).isEmpty();
    assertThat(changes.path("removed"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("a", "c");
    assertThat(next(session, running("b", WEB))).isNull();
  }

  @Test
  void aPushWithNothingChangedSendsNothingAndSerializesNothing() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB), running("b", WEB));
    serialized.clear();

    assertThat(next(session, running("a", WEB), running("b", WEB))).isNull();
    assertThat(serialized).isEmpty();
  }

  @Test
  void onlyTheChangedTasksAreSerialized() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB), running("b", WEB));
    serialized.clear();

    send(session, running("a", WEB), entry("b", WEB, "STOPPED", false), running("c", WEB));

    assertThat(serialized).containsExactly("b", "c");
  }

  @Test
  void aNewSessionStartsAgainWithTheCompleteSet() {
    TaskSetMessages before = new TaskSetMessages();
    send(before, running("a", WEB));
    send(before, running("a", WEB), running("b", WEB));

    JsonNode reconnected = send(new TaskSetMessages(), running("a", WEB), running("b", WEB));

    assertThat(reconnected.path("type").asText()).isEqualTo("tasks");
    assertThat(arns(reconnected.path("tasks"))).containsExactly("a", "b");
  }

  @Test
  void aTaskDefinitionGoesWithTheFirstTaskOfItOnly() {
    JsonNode first = send(new TaskSetMessages(), running("a", WEB), running("b", WEB));

    assertThat(first.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    assertThat(first.path("tasks").get(1).has("taskDefinition")).isFalse();
  }

  @Test
  void laterMessagesCarryOnlyDefinitionsNotSentBefore() {
    TaskSetMessages session = new TaskSetMessages();
    send(session, running("a", WEB));

    JsonNode second = send(session, running("a", WEB), running("b", WEB), running("c", DB));

    assertThat(second.path("tasks").get(0).has("taskDefinition")).isFalse();
    assertThat(second.path("tasks").get(1).path("taskDefinition").path("family").asText())
        .isEqualTo("db");
    assertThat(looked).containsExactly(WEB, DB);
  }

  @Test
  void aNewSessionGetsEveryDefinitionAgain() {
    send(new TaskSetMessages(), running("a", WEB));

    JsonNode reconnected = send(new TaskSetMessages(), running("a", WEB));

    assertThat(reconnected.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
  }

  @Test
  void aDefinitionTheServerLacksIsLookedForAgainWithTheNextTaskOfIt() {
    TaskSetMessages session = new TaskSetMessages();

    assertThat(send(session, running("a", GONE)).path("tasks").get(0).has("taskDefinition"))
        .isFalse();
    send(session, running("a", GONE), running("b", GONE));

    assertThat(looked).containsExactly(GONE, GONE);
  }

  private JsonNode send(TaskSetMessages session, TaskSetEntry... set) {
    ByteBuf message = next(session, set);
    assertThat(message).isNotNull();
    try {
      assertThat(message.writableBytes()).isZero();
      return Json.MAPPER.readTree(message.toString(UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      message.release();
    }
  }

  private ByteBuf next(TaskSetMessages session, TaskSetEntry... set) {
    return session.next(
        List.of(set),
        arn -> {
          looked.add(arn);
          return DEFINITIONS.get(arn);
        },
        UnpooledByteBufAllocator.DEFAULT);
  }

  private static List<String> arns(JsonNode entries) {
    List<String> arns = new ArrayList<>();
    entries.forEach(entry -> arns.add(entry.path("task").path("taskArn").asText()));
    return arns;
  }

  private TaskSetEntry running(String taskArn, String definitionArn) {
    return entry(taskArn, definitionArn, "RUNNING", false);
  }

  /**
   * Returns an entry whose task JSON holds its ARN, definition and statuses (lastStatus
   * DEACTIVATING if it is, else STOPPING if it is to stop, else PENDING), noting when it is made.
   */
  private TaskSetEntry entry(
      String taskArn, String definitionArn, String desiredStatus, boolean deactivating) {
    String lastStatus =
        deactivating ? "DEACTIVATING" : "STOPPED".equals(desiredStatus) ? "STOPPING" : "PENDING";
    return new TaskSetEntry(
        taskArn,
        definitionArn,
        desiredStatus,
        deactivating,
        () -> {
          serialized.add(taskArn);
          return Json.object()
              .put("taskArn", taskArn)
              .put("taskDefinitionArn", definitionArn)
              .put("desiredStatus", desiredStatus)
              .put("lastStatus", lastStatus)
              .toString()
              .getBytes(UTF_8);
        });
  }
}
