package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The benchmark reads RunTask's answer from its tokens: tasks counted, failures kept. */
class RunTaskAnswerTest {
  @Test
  void countsTheTasksAndKeepsTheFailures() throws IOException {
    RunTaskAnswer answer =
        read(
            """
            {"tasks": [
               {"taskArn": "arn:1", "containers": [{"name": "app", "networkBindings": []}],
                "attributes": [{"name": "a", "value": "b"}], "cpu": "128", "version": 1},
               {"overrides": {}, "taskArn": "arn:2", "tags": []}],
             "failures": [{"arn": "arn:i", "reason": "RESOURCE:CPU"}]}
            """);

    assertThat(answer.tasks()).isEqualTo(2);
    assertThat(answer.failures()).hasSize(1);
    assertThat(answer.failures().get(0).path("reason").asText()).isEqualTo("RESOURCE:CPU");
  }

  @Test
  void anAnswerWithoutTasksCountsNone() throws IOException {
    RunTaskAnswer answer = read("{\"failures\": []}");

    assertThat(answer.tasks()).isZero();
    assertThat(answer.failures()).isEmpty();
  }

  @Test
  void aTaskWithoutAnArnIsRefused() {
    assertThatThrownBy(() -> read("{\"tasks\": [{\"taskArn\": \"arn:1\"}, {\"lastStatus\": 1}]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no taskArn");
  }

  @Test
  void tasksThatAreNoArrayAreRefused() {
    assertThatThrownBy(() -> read("{\"tasks\": {}}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tasks is START_OBJECT, not START_ARRAY");
  }

  private static RunTaskAnswer read(String json) throws IOException {
    try (var parser = new JsonFactory().createParser(json)) {
      return RunTaskAnswer.read(parser);
    }
  }
}
