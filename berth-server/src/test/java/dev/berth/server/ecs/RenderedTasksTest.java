package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RenderedTasksTest {
  @Test
  void theChannelGetsTheRenderingRunTaskAnsweredWith() throws Exception {
    RenderedTasks rendered = new RenderedTasks();
    Task task = TaskJsonTest.provisioning();

    String answered = Json.MAPPER.writeValueAsString(Json.array().add(rendered.render(task)));
    byte[] sent = rendered.take(task);

    String expected = Json.MAPPER.writeValueAsString(TaskJson.toJson(task, true));
    assertThat(answered).isEqualTo("[" + expected + "]");
    assertThat(new String(sent, StandardCharsets.UTF_8)).isEqualTo(expected);
    // Answers go out as UTF-8 bytes: the kept rendering's own bytes, a tag's "å" included.
    assertThat(
            new String(
                Json.MAPPER.writeValueAsBytes(Json.array().add(rendered.render(task))),
                StandardCharsets.UTF_8))
        .isEqualTo("[" + expected + "]")
        .contains("blå");
  }

  @Test
  void theAnswerWrittenAfterTheChannelTookTheTaskIsTheSameRendering() throws Exception {
    RenderedTasks rendered = new RenderedTasks();
    Task task = TaskJsonTest.provisioning();
    JsonNode answer = Json.array().add(rendered.render(task));

    byte[] sent = rendered.take(task);

    assertThat(Json.MAPPER.writeValueAsBytes(answer))
        .isEqualTo(
            ("[" + new String(sent, StandardCharsets.UTF_8) + "]")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(new String(sent, StandardCharsets.UTF_8))
        .isEqualTo(Json.MAPPER.writeValueAsString(TaskJson.toJson(task, true)));
  }

  @Test
  void aLaterRecordOfTheTaskIsRenderedAfresh() throws Exception {
    RenderedTasks rendered = new RenderedTasks();
    Task placed = TaskJsonTest.provisioning();
    rendered.render(placed);
    Task running =
        placed.changed(
            placed.lifecycle().reported(TaskLifecycle.RUNNING, null, null, null, null, 2L),
            placed.containers());

    assertThat(Json.MAPPER.readTree(rendered.take(running)).path("lastStatus").asText())
        .isEqualTo("RUNNING");
    assertThat(Json.MAPPER.readTree(rendered.take(placed)).path("lastStatus").asText())
        .as("rendered again: the kept rendering was taken")
        .isEqualTo("PROVISIONING");
  }
}
