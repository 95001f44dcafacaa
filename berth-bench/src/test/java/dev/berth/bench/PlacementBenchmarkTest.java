package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A small run of {@code bench placement}: every task placed through signed RunTask calls and
 * reported RUNNING by its simulated agent over the real agent channel, and the summary complete.
 */
@ResourceLock(BenchCommandLineTest.CHILD_PROCESSES)
class PlacementBenchmarkTest {
  @Test
  void everyTaskIsPlacedAndReportedRunningOverTheAgentChannel() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    new PlacementBenchmark(12, 120, "spread", 2)
        .run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode summary = Json.MAPPER.readTree(lines[lines.length - 1]);
    assertThat(summary.path("instances").asInt()).isEqualTo(12);
    assertThat(summary.path("tasks").asInt()).isEqualTo(120);
    assertThat(summary.path("strategy").asText()).isEqualTo("spread");
    assertThat(summary.path("placementsPerSecond").asLong()).isPositive();
    assertThat(summary.path("runTaskP99Ms").asDouble())
        .isGreaterThanOrEqualTo(summary.path("runTaskP50Ms").asDouble());
    // -1 unless every placed task was acknowledged RUNNING through the channel.
    assertThat(summary.path("timeToAllRunningMs").asLong()).isPositive();
    assertThat(summary.path("peakHeapMiB").asLong()).isPositive();
    assertThat(summary.path("clientsCpuUsPerTask").asLong())
        .isPositive()
        .isLessThanOrEqualTo(summary.path("cpuUsPerTask").asLong());
    assertThat(lines).anyMatch(line -> line.startsWith("placed 120 tasks (0 failures)"));
    assertThat(lines[lines.length - 2])
        .startsWith("120 of 120 tasks RUNNING")
        .endsWith("(0 reports refused)");
  }

  @Test
  void agentsInAChildProcessReportEveryTaskRunningAndTheChildEnds() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Set<Long> before = childProcesses();
    new PlacementBenchmark(6, 60, "binpack", 2, true)
        .run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode summary = Json.MAPPER.readTree(lines[lines.length - 1]);
    assertThat(summary.path("instances").asInt()).isEqualTo(6);
    assertThat(summary.path("tasks").asInt()).isEqualTo(60);
    assertThat(summary.path("agentsProcess").asBoolean()).isTrue();
    assertThat(summary.path("timeToAllRunningMs").asLong()).isPositive();
    assertThat(summary.path("agentsCpuUsPerTask").asLong()).isPositive();
    assertThat(summary.path("agentsPeakHeapMiB").asLong()).isPositive();
    assertThat(lines).anyMatch(line -> line.startsWith("opened 6 agent channels in a child"));
    assertThat(lines).anyMatch(line -> line.startsWith("placed 60 tasks (0 failures)"));
    assertThat(lines).anyMatch(line -> line.startsWith("60 of 60 tasks RUNNING"));
    assertThat(childProcesses()).isSubsetOf(before);
  }

  @Test
  void theWarmUpsTasksAreStoppedBeforeTheMeasuredOnesArePlaced() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // Six instances hold 192 tasks of the benchmark's size: 150 fit only once each warm-up round's
    // 100 have stopped and given their room back.
    new PlacementBenchmark(6, 150, "binpack", 2, false, 100, 2)
        .run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode summary = Json.MAPPER.readTree(lines[lines.length - 1]);
    assertThat(summary.path("warmupTasks").asInt()).isEqualTo(100);
    assertThat(summary.path("timeToAllRunningMs").asLong()).isPositive();
    assertThat(summary.path("warmupRounds").asInt()).isEqualTo(2);
    assertThat(summary.path("jitCompilingMs").isIntegralNumber()).isTrue();
    assertThat(lines).anyMatch(line -> line.startsWith("warm-up round 1 of 2: placed 100 tasks"));
    assertThat(lines).anyMatch(line -> line.startsWith("warm-up round 2 of 2: placed 100 tasks"));
    assertThat(lines).anyMatch(line -> line.startsWith("placed 150 tasks (0 failures)"));
    assertThat(lines[lines.length - 2]).startsWith("150 of 150 tasks RUNNING");
  }

  private static Set<Long> childProcesses() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }
}
