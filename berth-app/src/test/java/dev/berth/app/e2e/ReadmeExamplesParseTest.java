package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.app.e2e.ReadmeExamples.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the README test reads console blocks and compares what a command printed. */
class ReadmeExamplesParseTest {
  private static final String MARKDOWN =
      """
      Text.

      ```console
      $ A=~/.berth BERTH_PORT=4747
      $ berth-aws ecs list-tasks \\
          --query taskArns
      arn:aws:ecs:us-east-1:000000000000:task/default/01a2473841be7a32daabb5fdbb922112

      $ curl -s http://127.0.0.1:4747/
      hello
      ```

      ```sh
      $ not a console block
      ```
      """;

  @Test
  void commandsTakeTheirIndentedLinesAndOutputTheRest() {
    List<Command> commands = ReadmeExamples.parse(MARKDOWN);

    assertThat(commands)
        .extracting(Command::text)
        .containsExactly(
            "A=~/.berth BERTH_PORT=4747",
            "berth-aws ecs list-tasks \\\n    --query taskArns",
            "curl -s http://127.0.0.1:4747/");
    assertThat(commands.get(1).output()).hasSize(1);
    assertThat(commands.get(2).output()).containsExactly("hello");
  }

  @Test
  void onlyAssignmentsOfTheReadmeSettingsAreRewritten() {
    Command settings = new Command("BERTH_DIR=~/.berth BERTH_PORT=4747", List.of());
    Command other = new Command("A=~/.berth BERTH_PORT=4747", List.of());

    assertThat(ReadmeExamples.withSettings(settings, Map.of("BERTH_PORT", "50001")))
        .isEqualTo("BERTH_DIR=~/.berth BERTH_PORT=50001");
    assertThat(ReadmeExamples.withSettings(other, Map.of("BERTH_PORT", "50001")))
        .isEqualTo("A=~/.berth BERTH_PORT=4747");
  }

  @Test
  void idsAndHostPortsMatchAnyButOtherTextMustBeEqual() {
    List<String> expected =
        List.of(
            "1 1 32769 771d9b0888cc4f218bcf5c50e64f0bc2.web.site.internal.",
            "Berth is listening on http://127.0.0.1:4747");
    Map<String, String> values = Map.of("4747", "41234");

    assertThat(
            ReadmeExamples.matches(
                expected,
                List.of(
                    "Berth is listening on http://127.0.0.1:41234",
                    "",
                    "1\t1   40112   01a24738f189d16275e8a1b02da9f55b.web.site.internal."),
                values))
        .isTrue();
    assertThat(
            ReadmeExamples.matches(
                expected,
                List.of(
                    "Berth is listening on http://127.0.0.1:4747",
                    "1 1 40112 01a24738f189d16275e8a1b02da9f55b.web.site.internal."),
                values))
        .isFalse();
    assertThat(ReadmeExamples.matches(List.of("hello"), List.of("hello", "hello"), values))
        .isFalse();
    assertThat(ReadmeExamples.matches(List.of("hello"), List.of("v2"), values)).isFalse();
  }
}
