package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stats readings of real containers: a CPU burner's, an idle one's, a stopped one's. */
class DockerRuntimeStatsTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();
  private final String cluster = engine.newCluster();

  @Test
  void aCpuBurnerUsesAboutACoreAndAnIdleContainerAlmostNothing() {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "burn", "revision": 1, "containerDefinitions": [
                  {"name": "burner", "image": "berth-test/busybox:latest", "memory": 32,
                   "entryPoint": ["sh", "-c"], "command": ["while :; do :; done"]},
                  {"name": "idle", "image": "berth-test/busybox:latest", "memory": 32,
                   "entryPoint": ["sh", "-c"], "command": ["sleep 600"]}
                ]}
                """));

    double burner = cpuUnits(task.id("burner"));
    double idle = cpuUnits(task.id("idle"));

    // One busy core is 1,024 units; the test machine is shared by many builds, so the burner is
    // only asked for a tenth of a core, and for ten times what the idle container uses.
    assertThat(burner).isGreaterThan(102.4);
    assertThat(idle).isLessThan(burner / 10);
    ContainerStats memory = runtime.stats(task.id("idle"));
    assertThat(memory.memoryUsageBytes()).isPositive();
    assertThat(memory.memoryInUseBytes()).isBetween(1L, memory.memoryUsageBytes());
  }

  @Test
  void aStoppedOrMissingContainerHasNoReading() {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "quit", "revision": 1, "containerDefinitions": [
                  {"name": "quit", "image": "berth-test/busybox:latest", "memory": 32,
                   "entryPoint": ["sh", "-c"], "command": ["sleep 600"]}
                ]}
                """));
    String id = task.id("quit");
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.stats(id) != null);

    runtime.stop(id, Duration.ZERO);

    assertThat(runtime.stats(id)).isNull();
    assertThat(runtime.stats("no-such-container-" + cluster)).isNull();
  }

  private double cpuUnits(String id) {
    ContainerStats[] readings = new ContainerStats[2];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ContainerStats reading = runtime.stats(id);
              if (reading == null) {
                return false;
              }
              if (readings[0] == null) {
                readings[0] = reading;
                return false;
              }
              readings[1] = reading;
              return Duration.between(readings[0].read(), reading.read()).toMillis() >= 1000;
            });
    long wall = Duration.between(readings[0].read(), readings[1].read()).toNanos();
    return (readings[1].cpuTotalNanos() - readings[0].cpuTotalNanos()) * 1024.0 / wall;
  }
}
