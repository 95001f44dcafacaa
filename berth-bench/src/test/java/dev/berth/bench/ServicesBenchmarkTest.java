package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A small run of {@code bench services}: its simulated agents report the first revision's tasks
 * RUNNING and, during the rolling update, the replaced tasks STOPPED, and the server refuses none.
 */
class ServicesBenchmarkTest {
  @Test
  void servicesReachSteadyStateAndRollOutWithNoReportRefused() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    new ServicesBenchmark(4, 2, 2, 2).run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode summary = Json.MAPPER.readTree(lines[lines.length - 1]);
    assertThat(lines).anyMatch(line -> line.startsWith("opened 4 agent channels"));
    assertThat(summary.path("timeToSteadyMs").asLong()).isPositive();
    assertThat(summary.path("timeToRolledOutMs").asLong()).isPositive();
    assertThat(summary.path("stateChangesRefused").asLong()).isZero();
  }
}
