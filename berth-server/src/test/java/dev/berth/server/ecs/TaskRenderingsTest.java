package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TaskRenderingsTest {
  @Test
  void theChannelGetsTheRenderingRunTaskAnsweredWith() throws Exception {
    TaskRenderings rendered = new TaskRenderings();
    Task task = TaskJsonTest.provisioning();

    String answered = Json.MAPPER.writeValueAsString(Json.array().add(rendered.node(task)));
    byte[] sent = rendered.utf8(task);

    String expected = Json.MAPPER.writeValueAsString(TaskJson.toJson(task, true));
    assertThat(answered).isEqualTo("[" + expected + "]");
    assertThat(new String(sent, StandardCharsets.UTF_8)).isEqualTo(expected);
    // Answers go out as UTF-8 bytes: the kept rendering's own bytes, a tag's "å" included.
    assertThat(
            new String(
                Json.MAPPER.writeValueAsBytes(Json.array().add(rendered.node(task))),
                StandardCharsets.UTF_8))
        .isEqualTo("[" + expected + "]")
        .contains("blå");
  }

  @Test
  void theAnswerWrittenAfterTheChannelTookTheTaskIsTheSameRendering() throws Exception {
    TaskRenderings rendered = new TaskRenderings();
    Task task = TaskJsonTest.provisioning();
    JsonNode answer = Json.array().add(rendered.node(task));

    byte[] sent = rendered.utf8(task);

    assertThat(Json.MAPPER.writeValueAsBytes(answer))
        .isEqualTo(
            ("[" + new String(sent, StandardCharsets.UTF_8) + "]")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(new String(sent, StandardCharsets.UTF_8))
        .isEqualTo(Json.MAPPER.writeValueAsString(TaskJson.toJson(task, true)));
  }

  @Test
  void aRecordIsRenderedOnceHoweverOftenItIsAnsweredOrPushed() throws Exception {
    TaskRenderings rendered = new TaskRenderings();
    Task task = TaskJsonTest.provisioning();

    byte[] pushed = rendered.utf8(task);
    Json.MAPPER.writeValueAsBytes(Json.array().add(rendered.node(task)));

    assertThat(rendered.utf8(task)).isSameAs(pushed);
    assertThat(rendered.kept()).isEqualTo(1);
  }

  @Test
  void aLaterRecordOfTheTaskIsRenderedAfresh() throws Exception {
    TaskRenderings rendered = new TaskRenderings();
    Task placed = TaskJsonTest.provisioning();
    Json.MAPPER.writeValueAsBytes(rendered.node(placed));
    Task running =
        placed.changed(
            placed.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, 2L),
            placed.containers());

    assertThat(Json.MAPPER.readTree(rendered.utf8(running)).path("lastStatus").asText())
        .isEqualTo("RUNNING");
    assertThat(Json.MAPPER.readTree(rendered.utf8(placed)).path("lastStatus").asText())
        .as("the earlier record keeps its own rendering")
        .isEqualTo("PROVISIONING");
  }

  @Test
  void aRenderingGoesWithItsRecord() throws Exception {
    TaskRenderings rendered = new TaskRenderings();
    Task placed = TaskJsonTest.provisioning();
    List<Task> records = new ArrayList<>();
    for (int version = 2; version < 1_002; version++) {
      Task record =
          placed.changed(
              placed.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, version),
              placed.containers());
      records.add(record);
      rendered.utf8(record);
    }
    assertThat(rendered.kept()).isEqualTo(1_000);

    // Nothing holds the records any more (the state replaced them, their answers were written).
    records.clear();

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return rendered.kept() == 0;
            });
  }
}
