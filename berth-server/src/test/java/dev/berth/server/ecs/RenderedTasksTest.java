package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.state.Resources;
import dev.berth.server.state.Tag;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskLifecycle;
import dev.berth.server.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderedTasksTest {
  private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";

  @Test
  void theChannelGetsTheRenderingRunTaskAnsweredWith() throws Exception {
    RenderedTasks rendered = new RenderedTasks();
    Task task = task("t1");

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
    Task task = task("t1");
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
    Task placed = task("t1");
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

  private static Task task(String id) {
    TaskSpec spec =
        new TaskSpec(
            PREFIX + "task/default/" + id,
            PREFIX + "cluster/default",
            PREFIX + "task-definition/web:1",
            PREFIX + "container-instance/default/i1",
            "EC2",
            null,
            null,
            Json.object(),
            null,
            "family:web",
            "us-east-1a",
            List.of(),
            false,
            new Resources(256, 512, List.of(), List.of()),
            1_700_000_000_000L);
    return new Task(
        spec,
        TaskLifecycle.provisioning(1_700_000_000_000L),
        List.of(),
        List.of(new Tag("team", "blå")),
        1);
  }
}
