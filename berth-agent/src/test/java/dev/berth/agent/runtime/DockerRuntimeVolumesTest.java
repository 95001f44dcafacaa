package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Host bind mounts, task-scoped and shared Docker volumes, and volumesFrom on the real engine. */
class DockerRuntimeVolumesTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();
  private final String cluster = engine.newCluster();

  @Test
  void hostSourcePathIsBindMounted(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("in.txt"), "from the host");
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "binds", "revision": 1,
                 "volumes": [{"name": "data", "host": {"sourcePath": "%s"}}],
                 "containerDefinitions": [{
                   "name": "writer", "image": "berth-test/busybox:latest",
                   "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                   "entryPoint": ["sh", "-c", "test \\"$(cat /data/in.txt)\\" = 'from the host' && echo from the container > /data/out.txt"]
                 }]}
                """
                    .formatted(dir)));

    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("writer").state().isStopped());
    assertThat(task.status("writer").exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("from the container\n");
  }

  @Test
  void taskVolumeIsSharedByMountPointsAndVolumesFromAndGoesWithTheTask() {
    TestTask task =
        TestTask.plan(
            runtime,
            cluster,
            json(
                """
                {"family": "scratch", "revision": 5,
                 "volumes": [{"name": "scratch"}],
                 "containerDefinitions": [
                  {"name": "writer", "image": "berth-test/busybox:latest",
                   "mountPoints": [{"sourceVolume": "scratch", "containerPath": "/data"}],
                   "entryPoint": ["sh", "-c", "echo shared > /data/x"]},
                  {"name": "borrower", "image": "berth-test/busybox:latest",
                   "volumesFrom": [{"sourceContainer": "writer", "readOnly": true}],
                   "entryPoint": ["sh", "-c", "test \\"$(cat /data/x)\\" = shared && ! touch /data/y 2>/dev/null"]},
                  {"name": "mounter", "image": "berth-test/busybox:latest",
                   "mountPoints": [{"sourceVolume": "scratch", "containerPath": "/other", "readOnly": true}],
                   "entryPoint": ["sh", "-c", "test \\"$(cat /other/x)\\" = shared"]}
                ]}
                """));
    TaskVolumes.TaskVolume scratch = task.scope.volumes().get("scratch");
    assertThat(scratch.kind()).isEqualTo(TaskVolumes.Kind.TASK);
    assertThat(scratch.source()).startsWith("ecs-scratch-5-scratch-");
    assertThat(runtime.volumeExists(scratch.source())).isTrue();
    assertThat(runtime.listVolumes(Map.of(EcsLabels.TASK_ARN, task.scope.taskArn())))
        .containsExactly(scratch.source());

    task.start("writer");
    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("writer").state().isStopped());
    assertThat(task.status("writer").exitCode()).isZero();
    task.start("borrower");
    task.start("mounter");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                task.status("borrower").state().isStopped()
                    && task.status("mounter").state().isStopped());
    assertThat(task.status("borrower").exitCode()).isZero();
    assertThat(task.status("mounter").exitCode()).isZero();

    task.ids.values().forEach(runtime::remove);
    task.scope.volumes().release(runtime);
    assertThat(runtime.volumeExists(scratch.source())).isFalse();
  }

  @Test
  void sharedVolumeOutlivesTheTaskThatProvisionedIt() {
    String name = "berth-it-shared-" + UUID.randomUUID().toString().substring(0, 8);
    String definition =
        """
        {"family": "keeper", "revision": 1,
         "volumes": [{"name": "%s", "dockerVolumeConfiguration": {
           "scope": "shared", "autoprovision": true, "driver": "local",
           "labels": {"%s": "%s"}}}],
         "containerDefinitions": [{
           "name": "main", "image": "berth-test/busybox:latest",
           "mountPoints": [{"sourceVolume": "%s", "containerPath": "/keep"}],
           "entryPoint": ["sh", "-c", "if [ -f /keep/first ]; then echo second > /keep/second; else echo first > /keep/first; exit 7; fi"]
         }]}
        """
            .formatted(name, EcsLabels.CLUSTER, cluster, name);

    TestTask first = TestTask.run(runtime, cluster, json(definition));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.status("main").state().isStopped());
    runtime.remove(first.id("main"));
    first.scope.volumes().release(runtime);
    assertThat(runtime.volumeExists(name)).isTrue();

    TestTask second = TestTask.run(runtime, cluster, json(definition));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.status("main").state().isStopped());
    assertThat(first.status("main")).isNull();
    assertThat(second.status("main").exitCode()).isZero();
  }

  @Test
  void sharedVolumeThatMayNotBeProvisionedMustExist() {
    String definition =
        """
        {"family": "needs", "revision": 1,
         "volumes": [{"name": "absent-%s", "dockerVolumeConfiguration": {"scope": "shared"}}],
         "containerDefinitions": [{"name": "main", "image": "berth-test/busybox:latest"}]}
        """
            .formatted(UUID.randomUUID());

    assertThatThrownBy(() -> TestTask.plan(runtime, cluster, json(definition)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("does not exist and autoprovision is not enabled");
  }
}
