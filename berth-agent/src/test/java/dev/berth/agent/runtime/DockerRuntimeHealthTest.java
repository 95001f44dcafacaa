package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health checks from a container definition, run by the real Docker engine. */
class DockerRuntimeHealthTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();
  private final String cluster = engine.newCluster();

  @Test
  void healthCheckTurnsHealthyThenUnhealthy() throws Exception {
    Queue<RuntimeEvent> events = new ConcurrentLinkedQueue<>();
    AutoCloseable stream = runtime.events(Map.of(EcsLabels.CLUSTER, cluster), events::add);
    try {
      TestTask task =
          TestTask.run(
              runtime,
              cluster,
              json(
                  """
                  {"family": "health", "revision": 1, "containerDefinitions": [{
                    "name": "app", "image": "berth-test/busybox:latest",
                    "entryPoint": ["sh", "-c", "mkdir -p /tmp; touch /tmp/ok; sleep 4; rm -f /tmp/ok; sleep 600"],
                    "healthCheck": {"command": ["CMD-SHELL", "test -f /tmp/ok"],
                                    "interval": 1, "timeout": 2, "retries": 1, "startPeriod": 0}
                  }]}
                  """));
      String id = task.id("app");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> task.status("app").health() == HealthStatus.HEALTHY);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> task.status("app").health() == HealthStatus.UNHEALTHY);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.type() == RuntimeEvent.Type.HEALTH_STATUS
                                  && id.equals(e.containerId())
                                  && e.health() == HealthStatus.UNHEALTHY));
      assertThat(events)
          .anyMatch(
              e ->
                  e.type() == RuntimeEvent.Type.HEALTH_STATUS
                      && e.health() == HealthStatus.HEALTHY);

      InspectContainerResponse inspected = runtime.docker().inspectContainerCmd(id).exec();
      assertThat(inspected.getConfig().getHealthcheck().getTest())
          .containsExactly("CMD-SHELL", "test -f /tmp/ok");
      assertThat(inspected.getConfig().getHealthcheck().getInterval()).isEqualTo(1_000_000_000L);
      assertThat(inspected.getConfig().getHealthcheck().getTimeout()).isEqualTo(2_000_000_000L);
      assertThat(inspected.getConfig().getHealthcheck().getRetries()).isEqualTo(1);
    } finally {
      stream.close();
    }
  }

  @Test
  void containerWithoutHealthCheckReportsUnknown() {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "nohealth", "revision": 1, "containerDefinitions": [{
                  "name": "app", "image": "berth-test/busybox:latest",
                  "entryPoint": ["sleep", "600"]
                }]}
                """));

    assertThat(task.status("app").health()).isEqualTo(HealthStatus.UNKNOWN);
  }
}
