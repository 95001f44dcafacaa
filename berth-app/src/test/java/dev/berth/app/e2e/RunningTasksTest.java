package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * A web task through its whole life on a real Docker engine, seen through the AWS SDK: its port,
 * its stop, its timestamps and what it reserves on its container instance.
 */
class RunningTasksTest {
  private static LocalBerth berth;
  private static String web;

  @BeforeAll
  static void start() {
    berth = LocalBerth.start();
    web =
        berth.register(
            "web",
            berth
                .container("web")
                .portMappings(Http.dynamicHostPort(8080))
                .command(
                    Shell.serve(
                        "/www", "mkdir -p /www && echo 'hello from berth' > /www/index.html")));
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void webContainerAnswersOnItsDynamicHostPort() throws Exception {
    Task task = berth.runAndAwaitRunning(web);

    NetworkBinding binding = task.containers().get(0).networkBindings().get(0);
    assertThat(binding.containerPort()).isEqualTo(8080);
    assertThat(binding.bindIP()).isEqualTo("127.0.0.1");
    assertThat(binding.hostPort()).isNotEqualTo(8080).isPositive();
    assertThat(Http.awaitGet(binding.hostPort(), "/")).isEqualTo("hello from berth\n");

    stopAndAwait(task.taskArn());
  }

  @Test
  void stopTaskStopsItAsUserInitiated() {
    Task running = berth.runAndAwaitRunning(web);
    int port = Http.hostPort(running, "web", 8080);
    Http.awaitGet(port, "/");

    berth
        .ecs()
        .stopTask(r -> r.cluster(berth.cluster()).task(running.taskArn()).reason("done with it"));
    Task stopped = berth.awaitStatus(running.taskArn(), "STOPPED");

    assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(stopped.stoppedReason()).isEqualTo("done with it");
    assertThat(stopped.stoppingAt()).isNotNull();
    assertThat(stopped.stoppedAt()).isNotNull().isAfterOrEqualTo(stopped.stoppingAt());
    Container web = stopped.containers().get(0);
    assertThat(web.lastStatus()).isEqualTo("STOPPED");
    // The container's shell traps SIGTERM and exits 0: the agent stopped it, not a kill.
    assertThat(web.exitCode()).isZero();
    assertThatThrownBy(() -> Http.get(port, "/")).isInstanceOf(IOException.class);
  }

  @Test
  void lifecycleTimestampsArePresentAndInOrder() {
    Task running = berth.runAndAwaitRunning(web);
    assertThat(running.createdAt()).isNotNull();
    assertThat(running.pullStartedAt()).isNotNull().isAfterOrEqualTo(running.createdAt());
    assertThat(running.pullStoppedAt()).isNotNull().isAfterOrEqualTo(running.pullStartedAt());
    assertThat(running.startedAt()).isNotNull().isAfterOrEqualTo(running.pullStoppedAt());
    assertThat(running.stoppingAt()).isNull();
    assertThat(running.stoppedAt()).isNull();

    Task stopped = stopAndAwait(running.taskArn());

    assertThat(stopped.createdAt()).isEqualTo(running.createdAt());
    assertThat(stopped.startedAt()).isEqualTo(running.startedAt());
    assertThat(stopped.stoppingAt()).isNotNull().isAfterOrEqualTo(stopped.startedAt());
    assertThat(stopped.executionStoppedAt()).isNotNull().isAfterOrEqualTo(stopped.stoppingAt());
    assertThat(stopped.stoppedAt()).isNotNull().isAfterOrEqualTo(stopped.stoppingAt());
  }

  @Test
  void runningTaskReservesItsResourcesOnTheInstanceUntilItStops() {
    String reserving =
        berth.register(
            "reserving",
            berth.container("main").cpu(256).memoryReservation(64).command(Shell.idle()));
    // Tasks of the other tests stop before they end; wait for the last to release its share.
    ContainerInstance idle =
        await("an idle instance")
            .atMost(PATIENCE)
            .until(berth::instance, i -> i.runningTasksCount() == 0 && i.pendingTasksCount() == 0);
    Map<String, Integer> registered = integers(idle.registeredResources());
    assertThat(integers(idle.remainingResources())).isEqualTo(registered);

    Task task = berth.runAndAwaitRunning(reserving);

    ContainerInstance busy = berth.instance();
    assertThat(busy.runningTasksCount()).isEqualTo(1);
    assertThat(integers(busy.remainingResources()))
        .containsEntry("CPU", registered.get("CPU") - 256)
        .containsEntry("MEMORY", registered.get("MEMORY") - 64);

    stopAndAwait(task.taskArn());

    ContainerInstance released = berth.instance();
    assertThat(released.runningTasksCount()).isZero();
    assertThat(integers(released.remainingResources())).isEqualTo(registered);
  }

  private static Task stopAndAwait(String taskArn) {
    berth.ecs().stopTask(r -> r.cluster(berth.cluster()).task(taskArn));
    return berth.awaitStatus(taskArn, "STOPPED");
  }

  private static Map<String, Integer> integers(java.util.List<Resource> resources) {
    return resources.stream()
        .filter(r -> "INTEGER".equals(r.type()))
        .collect(Collectors.toMap(Resource::name, Resource::integerValue));
  }
}
