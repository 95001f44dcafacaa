package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@code berth bench} as bin/berth runs it: berth's Main with berth-bench on the class path. */
@ResourceLock(BenchCommandLineTest.CHILD_PROCESSES)
class BenchCommandLineTest {
  /** The lock of the tests that start child processes or count them. */
  static final String CHILD_PROCESSES = "child processes";

  @TempDir Path dir;

  @Test
  void placementsJsonSummaryIsTheLastLineOfItsOutput() throws Exception {
    List<String> lines =
        run("bench", "placement", "--instances", "40", "--tasks", "200", "--warmup-tasks", "0");

    JsonNode summary = Json.MAPPER.readTree(lines.getLast());
    assertThat(summary.path("instances").asInt()).isEqualTo(40);
    assertThat(summary.path("tasks").asInt()).isEqualTo(200);
    assertThat(lines).noneMatch(line -> line.contains("agent connected"));
  }

  @Test
  void berthsHelpListsBenchAndBenchItsBenchmarks() throws Exception {
    assertThat(run("--help")).anyMatch(line -> line.matches(" +bench +Runs a benchmark.*"));
    assertThat(run("bench", "--help"))
        .anyMatch(line -> line.matches(" +placement +.*"))
        .anyMatch(line -> line.matches(" +api +.*"));
  }

  /** Runs berth with the arguments in a child JVM and returns its output, stdout and stderr. */
  private List<String> run(String... args) throws Exception {
    Path output = Files.createTempFile(dir, "berth", ".out");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("berth " + String.join(" ", args) + " did not end");
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(printed).isZero();
    return printed.strip().lines().toList();
  }
}
