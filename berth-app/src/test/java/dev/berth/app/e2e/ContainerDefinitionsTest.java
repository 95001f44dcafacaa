package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.Volume;

/** The parts of a container definition the agent honours on Docker, and RunTask's overrides. */
class ContainerDefinitionsTest {
  private static final MountPoint SHARED =
      MountPoint.builder().sourceVolume("shared").containerPath("/shared").build();

  private static LocalBerth berth;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  /**
   * Five containers share a task volume and stamp it with the host's uptime as they go; the app
   * waits for each of the others by a different condition, then serves the volume so the test can
   * read the timeline.
   */
  @Test
  void dependentContainerStartsOnlyOnceEachConditionHolds() throws Exception {
    String ordered =
        berth.register(
            "ordered",
            List.of(Volume.builder().name("shared").build()),
            berth
                .container("sidecar")
                .essential(false)
                .mountPoints(SHARED)
                .command(
                    Shell.sh(
                        Shell.STAMP
                            + "stamp > /shared/sidecar.started;"
                            + " trap 'exit 0' TERM; sleep 600 & wait")),
            berth
                .container("init")
                .essential(false)
                .mountPoints(SHARED)
                .command(
                    Shell.sh(
                        Shell.STAMP
                            + "sleep 1; echo 'written by init' > /shared/greeting;"
                            + " stamp > /shared/init.exited; exit 0")),
            berth
                .container("migrate")
                .essential(false)
                .mountPoints(SHARED)
                .command(Shell.sh(Shell.STAMP + "sleep 1; stamp > /shared/migrate.exited; exit 3")),
            berth
                .container("db")
                .essential(false)
                .mountPoints(SHARED)
                .healthCheck(
                    h ->
                        h.command(
                                "CMD-SHELL",
                                Shell.STAMP
                                    + "test -f /shared/db.ready || exit 1;"
                                    + " test -f /shared/db.healthy || stamp > /shared/db.healthy")
                            .interval(5)
                            .timeout(2)
                            .retries(1))
                .command(
                    Shell.sh(
                        "sleep 1; touch /shared/db.ready; trap 'exit 0' TERM; sleep 600 & wait")),
            berth
                .container("app")
                .mountPoints(SHARED)
                .portMappings(Http.dynamicHostPort(8080))
                .dependsOn(
                    after("sidecar", ContainerCondition.START),
                    after("init", ContainerCondition.SUCCESS),
                    after("migrate", ContainerCondition.COMPLETE),
                    after("db", ContainerCondition.HEALTHY))
                .command(
                    Shell.serve(
                        "/shared",
                        Shell.STAMP
                            + "stamp > /shared/app.started;"
                            + " cat /shared/greeting > /shared/app.read")));

    Task task = berth.runAndAwaitRunning(ordered);
    int port = Http.hostPort(task, "app", 8080);
    double appStarted = uptime(Http.awaitGet(port, "/app.started"));

    assertThat(Http.get(port, "/app.read")).isEqualTo("written by init\n");
    assertThat(appStarted)
        .as("app starts after sidecar started (START)")
        .isGreaterThan(uptime(Http.get(port, "/sidecar.started")));
    assertThat(appStarted)
        .as("app starts after init exited 0 (SUCCESS)")
        .isGreaterThan(uptime(Http.get(port, "/init.exited")));
    assertThat(appStarted)
        .as("app starts after migrate exited, though not with 0 (COMPLETE)")
        .isGreaterThan(uptime(Http.get(port, "/migrate.exited")));
    assertThat(appStarted)
        .as("app starts after db's first passing health check (HEALTHY)")
        .isGreaterThan(uptime(Http.get(port, "/db.healthy")));
    // Health travels apart from state changes: it may reach the server a moment after RUNNING.
    Task described =
        await("db HEALTHY")
            .atMost(PATIENCE)
            .until(
                () -> berth.describe(task.taskArn()),
                t -> container(t, "db").healthStatus() == HealthStatus.HEALTHY);
    assertThat(container(described, "init").exitCode()).isZero();
    assertThat(container(described, "migrate").exitCode()).isEqualTo(3);
    // The non-essential containers that exited left the task running.
    assertThat(described.lastStatus()).isEqualTo("RUNNING");

    stopAndAwait(task.taskArn());
  }

  @Test
  void dependentOfAContainerThatFailsNeverStartsAndTheTaskStops() {
    String broken =
        berth.register(
            "broken",
            berth.container("init").essential(false).command(Shell.sh("exit 1")),
            berth
                .container("app")
                .dependsOn(after("init", ContainerCondition.SUCCESS))
                .command(Shell.idle()));

    Task task = berth.awaitStatus(berth.run(broken).taskArn(), "STOPPED");

    assertThat(task.startedAt()).isNull();
    assertThat(task.stoppedReason()).contains("app");
    assertThat(container(task, "init").exitCode()).isEqualTo(1);
    assertThat(container(task, "app").exitCode()).as("app never ran").isNull();
  }

  @Test
  void failingHealthCheckTurnsTheContainerAndTheTaskUnhealthy() {
    String sick =
        berth.register(
            "sick",
            berth
                .container("main")
                .healthCheck(h -> h.command("CMD-SHELL", "exit 1").interval(5).retries(1))
                .command(Shell.idle()));
    String taskArn = berth.runAndAwaitRunning(sick).taskArn();

    Task task =
        await("task UNHEALTHY")
            .atMost(PATIENCE)
            .until(() -> berth.describe(taskArn), t -> t.healthStatus() == HealthStatus.UNHEALTHY);

    assertThat(container(task, "main").healthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
    stopAndAwait(taskArn);
  }

  @Test
  void passingHealthCheckTurnsTheContainerAndTheTaskHealthy() {
    String fine =
        berth.register(
            "fine",
            berth
                .container("main")
                .healthCheck(h -> h.command("CMD-SHELL", "true").interval(5).retries(1))
                .command(Shell.idle()));
    String taskArn = berth.runAndAwaitRunning(fine).taskArn();

    Task task =
        await("task HEALTHY")
            .atMost(PATIENCE)
            .until(() -> berth.describe(taskArn), t -> t.healthStatus() == HealthStatus.HEALTHY);

    assertThat(container(task, "main").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    stopAndAwait(taskArn);
  }

  @Test
  void containerOverridesReplaceTheCommandAndMergeTheEnvironment() {
    String defined =
        berth.register(
            "overridden",
            berth
                .container("main")
                .environment(variable("BASE", "10"), variable("EXTRA", "1"))
                .command(Shell.idle()));
    TaskOverride overrides =
        TaskOverride.builder()
            .containerOverrides(
                ContainerOverride.builder()
                    .name("main")
                    .command(Shell.sh("exit $((BASE + EXTRA))"))
                    .environment(variable("EXTRA", "7"))
                    .build())
            .build();

    Task task = berth.awaitStatus(berth.run(defined, overrides).taskArn(), "STOPPED");

    // 10 from the definition's BASE plus 7 from the override's EXTRA, which replaced the 1.
    assertThat(container(task, "main").exitCode()).isEqualTo(17);
    assertThat(task.overrides().containerOverrides().get(0).command())
        .containsExactly("sh", "-c", "exit $((BASE + EXTRA))");
  }

  private static Task stopAndAwait(String taskArn) {
    berth.ecs().stopTask(r -> r.cluster(berth.cluster()).task(taskArn));
    return berth.awaitStatus(taskArn, "STOPPED");
  }

  private static Container container(Task task, String name) {
    return task.containers().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + task));
  }

  private static ContainerDependency after(String containerName, ContainerCondition condition) {
    return ContainerDependency.builder().containerName(containerName).condition(condition).build();
  }

  private static KeyValuePair variable(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }

  private static double uptime(String stamp) {
    return Double.parseDouble(stamp.trim());
  }
}
