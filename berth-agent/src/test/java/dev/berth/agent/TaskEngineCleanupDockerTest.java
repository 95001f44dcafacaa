package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.DockerTestEngine;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.TaskScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent starting on a real Docker engine where a task an earlier agent ran has stopped: the
 * task's containers, and so their logs, stay until the cleanup wait has passed since they finished,
 * by Docker's FinishedAt, and go then.
 */
class TaskEngineCleanupDockerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String cluster = "it-" + UUID.randomUUID().toString().substring(0, 12);
  private final String taskArn =
      "arn:aws:ecs:us-east-1:000000000000:task/"
          + cluster
          + "/"
          + UUID.randomUUID().toString().replace("-", "");
  private final HostPortAllocator ports = HostPortAllocator.withDefaultRange("127.0.0.1");
  private final ReportLog log = new ReportLog();
  private final StateReporter reporter = new StateReporter(log);
  private DockerRuntime runtime;
  private TaskEngine engine;

  @BeforeEach
  void connect() {
    runtime = DockerTestEngine.connect();
  }

  @AfterEach
  void cleanUp() {
    if (engine != null) {
      engine.close();
    }
    reporter.close();
    runtime.list(Map.of(EcsLabels.CLUSTER, cluster)).forEach(c -> runtime.remove(c.id()));
    runtime.close();
  }

  @Test
  void stoppedTaskKeepsItsContainerAndLogsAcrossARestartUntilItsCleanupWaitHasPassed()
      throws Exception {
    String id = runStoppedTask("job done");
    Instant finished = runtime.inspect(id).finishedAt();
    TestClock clock = new TestClock(finished.plus(Duration.ofMinutes(5)));

    startEngine(clock).reconcile(Tasks.taskSet());

    await().atMost(WAIT).until(() -> engine.pendingCleanups() == 1);
    assertThat(runtime.inspect(id)).isNotNull();
    assertThat(dockerLogs(id)).contains("job done");
    clock.advance(Duration.ofMinutes(54));
    assertThat(runtime.inspect(id)).isNotNull();

    clock.advance(Duration.ofMinutes(1));

    assertThat(runtime.inspect(id)).isNull();
  }

  @Test
  void stoppedTaskWhoseCleanupWaitPassedWhileNoAgentRanIsRemovedAtOnce() throws Exception {
    String id = runStoppedTask("long ago");
    TestClock clock = new TestClock(runtime.inspect(id).finishedAt().plus(Duration.ofHours(2)));

    startEngine(clock).reconcile(Tasks.taskSet());

    await().atMost(WAIT).until(() -> runtime.inspect(id) == null);
  }

  private TaskEngine startEngine(TestClock clock) {
    engine =
        new TaskEngine(
            cluster,
            Tasks.INSTANCE_ARN,
            runtime,
            new TaskReports(cluster, reporter, log::health),
            ports,
            PullBehavior.PREFER_CACHED,
            Duration.ofHours(1),
            EngineFixture.NO_PERIODIC_RECONCILE,
            clock);
    clock.onAdvance(engine::reconcileContainers);
    return engine;
  }

  /** Runs a one-container task as an earlier agent would have, and waits for it to exit. */
  private String runStoppedTask(String output) {
    ObjectNode definition = Tasks.definition("job", Tasks.container("job"));
    ObjectNode container = (ObjectNode) definition.get("containerDefinitions").get(0);
    container.put("image", DockerTestEngine.BUSYBOX);
    container.putArray("command").add("sh").add("-c").add("echo " + output);
    TaskScope scope = TaskScope.forNewTask(cluster, taskArn, definition);
    String id =
        runtime.create(
            ContainerSpecs.toSpec(scope, container, ports)
                .withLabel(EcsLabels.CONTAINER_INSTANCE, Tasks.INSTANCE_ARN));
    runtime.start(id);
    await().atMost(WAIT).until(() -> runtime.inspect(id).state().isStopped());
    ContainerStatus status = runtime.inspect(id);
    assertThat(status.exitCode()).isZero();
    assertThat(status.finishedAt()).isNotNull();
    return id;
  }

  /** Returns what {@code docker logs} prints for the container, as a user would read it. */
  private static String dockerLogs(String id) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("docker", "logs", id).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("docker logs exit status; said %s", out).isZero();
    return out;
  }
}
