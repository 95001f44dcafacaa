package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Containers on the real Docker engine: serving, exiting, stopping, listing and events. */
class DockerRuntimeLifecycleTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();
  private final String cluster = engine.newCluster();

  @Test
  void webContainerAnswersOnItsDynamicHostPort() throws Exception {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "web", "revision": 3, "containerDefinitions": [{
                  "name": "web", "image": "berth-test/busybox:latest", "memory": 32,
                  "entryPoint": ["sh", "-c"],
                  "command": ["mkdir -p /www && echo hello from berth > /www/index.html && exec httpd -f -p 8080 -h /www"],
                  "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]
                }]}
                """));

    PortBinding planned = task.specs.get("web").network().ports().getFirst();
    assertThat(planned.hostPort())
        .isBetween(HostPortAllocator.DEFAULT_FIRST, HostPortAllocator.DEFAULT_LAST);
    assertThat(planned.hostIp()).isEqualTo("127.0.0.1");
    ContainerStatus status = task.status("web");
    assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
    assertThat(status.name()).startsWith("ecs-web-3-web-");
    assertThat(status.ports())
        .containsExactly(
            new PortBinding(8080, planned.hostPort(), PortBinding.Protocol.TCP, "127.0.0.1"));

    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + planned.hostPort() + "/"))
            .timeout(Duration.ofSeconds(2))
            .build();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  http.send(request, HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.body()).isEqualTo("hello from berth\n");
            });
  }

  @Test
  void exitCodeIsReportedByInspectAndByTheDieEvent() throws Exception {
    Queue<RuntimeEvent> events = new ConcurrentLinkedQueue<>();
    AutoCloseable stream = runtime.events(Map.of(EcsLabels.CLUSTER, cluster), events::add);
    try {
      TestTask task =
          TestTask.run(
              runtime,
              cluster,
              json(
                  """
                  {"family": "exits", "revision": 1, "containerDefinitions": [{
                    "name": "main", "image": "berth-test/busybox:latest",
                    "entryPoint": ["sh", "-c", "exit 3"]
                  }]}
                  """));
      String id = task.id("main");

      await().atMost(Duration.ofSeconds(10)).until(() -> task.status("main").state().isStopped());
      ContainerStatus status = task.status("main");
      assertThat(status.state()).isEqualTo(ContainerState.EXITED);
      assertThat(status.exitCode()).isEqualTo(3);
      assertThat(status.startedAt()).isNotNull();
      // Not compared with startedAt: for a process this short Docker may record finishing first.
      assertThat(status.finishedAt()).isNotNull();
      assertThat(status.oomKilled()).isFalse();
      assertThat(status.error()).isNull();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e -> e.type() == RuntimeEvent.Type.DIE && id.equals(e.containerId())));
      RuntimeEvent die =
          events.stream().filter(e -> e.type() == RuntimeEvent.Type.DIE).findFirst().orElseThrow();
      assertThat(die.exitCode()).isEqualTo(3);
      assertThat(die.attributes()).containsEntry(EcsLabels.CONTAINER_NAME, "main");
      assertThat(events)
          .anyMatch(e -> e.type() == RuntimeEvent.Type.START && id.equals(e.containerId()));
    } finally {
      stream.close();
    }
  }

  @Test
  void stopSendsSigtermThenSigkillAfterTheTimeout() {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "stops", "revision": 1, "containerDefinitions": [
                  {"name": "polite", "image": "berth-test/busybox:latest", "stopTimeout": 2,
                   "entryPoint": ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"]},
                  {"name": "stubborn", "image": "berth-test/busybox:latest", "stopTimeout": 2,
                   "entryPoint": ["sh", "-c", "trap '' TERM; sleep 600 & wait"]}
                ]}
                """));
    assertThat(task.specs.get("stubborn").stopTimeout()).isEqualTo(Duration.ofSeconds(2));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                task.status("polite").state() == ContainerState.RUNNING
                    && task.status("stubborn").state() == ContainerState.RUNNING);

    long politeStart = System.nanoTime();
    runtime.stop(task.id("polite"), Duration.ofSeconds(10));
    Duration polite = Duration.ofNanos(System.nanoTime() - politeStart);

    long stubbornStart = System.nanoTime();
    runtime.stop(task.id("stubborn"), task.specs.get("stubborn").stopTimeout());
    Duration stubborn = Duration.ofNanos(System.nanoTime() - stubbornStart);

    // The polite one exits on SIGTERM, long before its 10 s; the stubborn one ignores SIGTERM and
    // is killed once its 2 s are up.
    assertThat(task.status("polite").exitCode()).isEqualTo(0);
    assertThat(polite).isLessThan(Duration.ofSeconds(8));
    assertThat(task.status("stubborn").exitCode()).isEqualTo(137);
    assertThat(stubborn).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(9));
    runtime.stop(task.id("stubborn"), Duration.ofSeconds(1));
  }

  @Test
  void listFindsStoppedAndCreatedContainersByLabelAndRemoveDeletesThem() {
    TestTask task =
        TestTask.plan(
            runtime,
            cluster,
            json(
                """
                {"family": "listed", "revision": 2, "containerDefinitions": [
                  {"name": "a", "image": "berth-test/busybox:latest", "entryPoint": ["true"]},
                  {"name": "b", "image": "berth-test/busybox:latest", "entryPoint": ["true"],
                   "dockerLabels": {"purpose": "listing"}}
                ]}
                """));
    task.start("a");
    task.create("b");
    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("a").state().isStopped());

    List<ContainerSummary> all = runtime.list(Map.of(EcsLabels.CLUSTER, cluster));
    assertThat(all)
        .extracting(ContainerSummary::id)
        .containsExactlyInAnyOrder(task.id("a"), task.id("b"));
    ContainerSummary b =
        all.stream().filter(c -> c.id().equals(task.id("b"))).findFirst().orElseThrow();
    assertThat(b.state()).isEqualTo(ContainerState.CREATED);
    assertThat(b.name()).isEqualTo(task.scope.containerNames().get("b"));
    assertThat(b.labels())
        .containsEntry(EcsLabels.TASK_ARN, task.scope.taskArn())
        .containsEntry(EcsLabels.FAMILY, "listed")
        .containsEntry(EcsLabels.VERSION, "2")
        .containsEntry(EcsLabels.CONTAINER_NAME, "b");
    assertThat(runtime.list(Map.of(EcsLabels.CLUSTER, cluster, "purpose", "")))
        .extracting(ContainerSummary::id)
        .containsExactly(task.id("b"));

    runtime.remove(task.id("a"));
    runtime.remove(task.id("b"));
    runtime.remove(task.id("b"));

    assertThat(runtime.list(Map.of(EcsLabels.CLUSTER, cluster))).isEmpty();
    assertThat(runtime.inspect(task.id("a"))).isNull();
  }

  @Test
  void creatingFromAnImageThatIsNotThereFailsClearly() {
    TestTask task =
        TestTask.plan(
            runtime,
            cluster,
            json(
                """
                {"family": "noimage", "revision": 1, "containerDefinitions": [
                  {"name": "a", "image": "berth-test/not-there:never"}
                ]}
                """));

    assertThatThrownBy(() -> task.create("a"))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("CannotCreateContainerError: ")
        .hasMessageContaining("berth-test/not-there");
  }
}
