package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerTelemetryTest {
  private static final String CLUSTER = "default";
  private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/default/t1";
  private static final long MIB = 1024 * 1024;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeRuntime runtime = new FakeRuntime();
  private final List<ObjectNode> sent = new ArrayList<>();
  private boolean channelUp = true;
  private final ContainerTelemetry telemetry =
      new ContainerTelemetry(
          CLUSTER,
          Tasks.INSTANCE_ARN,
          runtime,
          message -> {
            if (channelUp) {
              sent.add(message);
            }
            return channelUp;
          });

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void cpuIsUsageDeltaOverWallClockDeltaInCpuUnitsAndMemoryLeavesOutPageCache() {
    String id = runtime.place(CLUSTER, TASK, "web", ContainerState.RUNNING);
    runtime.setStats(id, new ContainerStats(T0, 0, 100 * MIB, 20 * MIB));
    telemetry.sample();
    // Half a core's time over one second of wall clock: 512 CPU units.
    runtime.setStats(id, new ContainerStats(T0.plusSeconds(1), 500_000_000L, 100 * MIB, 20 * MIB));
    telemetry.sample();
    // Two cores' time over two seconds: 2,048 units.
    runtime.setStats(
        id, new ContainerStats(T0.plusSeconds(3), 4_500_000_000L, 200 * MIB, 40 * MIB));
    telemetry.sample();

    telemetry.publish();

    assertThat(sent).hasSize(1);
    JsonNode container = sent.get(0).path("tasks").get(0).path("containers").get(0);
    assertThat(sent.get(0).path("type").asText()).isEqualTo("metrics");
    assertThat(sent.get(0).path("tasks").get(0).path("taskArn").asText()).isEqualTo(TASK);
    assertThat(container.path("name").asText()).isEqualTo("web");
    assertThat(container.path("cpu").path("min").asDouble()).isEqualTo(512.0);
    assertThat(container.path("cpu").path("max").asDouble()).isEqualTo(2048.0);
    assertThat(container.path("cpu").path("sum").asDouble()).isEqualTo(2560.0);
    assertThat(container.path("cpu").path("sampleCount").asInt()).isEqualTo(2);
    assertThat(container.path("memory").path("min").asDouble()).isEqualTo(80.0);
    assertThat(container.path("memory").path("max").asDouble()).isEqualTo(160.0);
  }

  @Test
  void oneReadingIsNoSampleAndSentSamplesAreNotSentAgain() {
    String id = runtime.place(CLUSTER, TASK, "web", ContainerState.RUNNING);
    runtime.setStats(id, new ContainerStats(T0, 0, 10 * MIB, 0));
    telemetry.sample();
    assertThat(telemetry.report()).isNull();

    runtime.setStats(id, new ContainerStats(T0.plusSeconds(1), 1_000_000_000L, 10 * MIB, 0));
    telemetry.sample();
    telemetry.publish();
    telemetry.publish();

    assertThat(sent).hasSize(1);
  }

  @Test
  void samplesWaitForTheChannelAndTheQueueIsBounded() {
    String id = runtime.place(CLUSTER, TASK, "web", ContainerState.RUNNING);
    channelUp = false;
    for (int i = 0; i <= ContainerTelemetry.MAX_SAMPLES + 10; i++) {
      runtime.setStats(id, new ContainerStats(T0.plusSeconds(i), i * 1_000_000_000L, MIB, 0));
      telemetry.sample();
      telemetry.publish();
    }
    assertThat(sent).isEmpty();

    channelUp = true;
    telemetry.publish();

    JsonNode cpu = sent.get(0).path("tasks").get(0).path("containers").get(0).path("cpu");
    assertThat(cpu.path("sampleCount").asInt()).isEqualTo(ContainerTelemetry.MAX_SAMPLES);
    assertThat(cpu.path("min").asDouble()).isEqualTo(1024.0);
  }

  @Test
  void aContainerThatStopsMidSampleIsNoErrorAndItsUnsentSamplesStillGo() {
    String id = runtime.place(CLUSTER, TASK, "web", ContainerState.RUNNING);
    String other = runtime.place(CLUSTER, TASK, "sidecar", ContainerState.RUNNING);
    runtime.setStats(id, new ContainerStats(T0, 0, MIB, 0));
    runtime.setStats(other, new ContainerStats(T0, 0, MIB, 0));
    telemetry.sample();
    runtime.setStats(id, new ContainerStats(T0.plusSeconds(1), 1_000_000_000L, MIB, 0));
    runtime.setStats(other, new ContainerStats(T0.plusSeconds(1), 1_000_000_000L, MIB, 0));
    telemetry.sample();

    runtime.stop(other, java.time.Duration.ZERO);
    telemetry.sample();
    telemetry.publish();

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).path("tasks").get(0).path("containers")).hasSize(2);

    telemetry.sample();
    telemetry.publish();
    assertThat(sent).hasSize(1);
  }

  @Test
  void stoppedContainersAreNotRead() {
    String stopped = runtime.place(CLUSTER, TASK, "old", ContainerState.EXITED);
    runtime.setStats(stopped, new ContainerStats(T0, 0, MIB, 0));
    telemetry.sample();
    telemetry.publish();
    assertThat(sent).isEmpty();
  }
}
