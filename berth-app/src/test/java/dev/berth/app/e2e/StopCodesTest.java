package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** Why tasks stop, as ECS says it: stop codes, reasons and the exit codes of their containers. */
class StopCodesTest {
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

  @Test
  void essentialContainerExitStopsTheTaskWithItsExitCode() {
    String quitter =
        berth.register("quitter", berth.container("main").command(Shell.sh("sleep 1; exit 7")));

    Task task = berth.awaitStatus(berth.run(quitter).taskArn(), "STOPPED");

    assertThat(task.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    assertThat(task.stoppedReason()).isEqualTo("Essential container in task exited");
    assertThat(task.startedAt()).isNotNull();
    Container main = task.containers().get(0);
    assertThat(main.lastStatus()).isEqualTo("STOPPED");
    assertThat(main.exitCode()).isEqualTo(7);
    assertThat(main.runtimeId()).isNotBlank();
  }

  @Test
  void imageThatCannotBePulledFailsTheTaskToStart() {
    String missing =
        berth.register(
            "missing",
            berth.container("main").image("berth-test/no-such-image:never").command(Shell.idle()));

    Task task = berth.awaitStatus(berth.run(missing).taskArn(), "STOPPED");

    assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
    assertThat(task.stoppedReason()).startsWith("CannotPullContainerError");
    assertThat(task.startedAt()).isNull();
    Container main = task.containers().get(0);
    assertThat(main.lastStatus()).isEqualTo("STOPPED");
    assertThat(main.reason()).startsWith("CannotPullContainerError");
    assertThat(main.exitCode()).isNull();
  }

  @Test
  void stopTaskHonoursEachContainersStopTimeout() {
    String stopping =
        berth.register(
            "stopping",
            berth
                .container("graceful")
                .stopTimeout(20)
                .command(Shell.sh("trap 'exit 42' TERM; sleep 600 & wait")),
            berth
                .container("stubborn")
                .stopTimeout(2)
                .command(Shell.sh("trap '' TERM; sleep 600 & wait")));
    Task running = berth.runAndAwaitRunning(stopping);

    berth.ecs().stopTask(r -> r.cluster(berth.cluster()).task(running.taskArn()));
    Task stopped = berth.awaitStatus(running.taskArn(), "STOPPED");

    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    // The one that heeds SIGTERM exits with its own code; the one that ignores it is killed.
    assertThat(exitCode(stopped, "graceful")).isEqualTo(42);
    assertThat(exitCode(stopped, "stubborn")).isEqualTo(137);
    // The stubborn container had its 2 s, not the 30 s default; the graceful one needed none of
    // its 20 s.
    Duration stopDuration = Duration.between(stopped.stoppingAt(), stopped.stoppedAt());
    assertThat(stopDuration)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(15));
  }

  private static Integer exitCode(Task task, String containerName) {
    return task.containers().stream()
        .filter(c -> c.name().equals(containerName))
        .findFirst()
        .orElseThrow()
        .exitCode();
  }
}
