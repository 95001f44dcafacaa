package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import dev.berth.agent.runtime.DockerFixture.TestTask;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The settings of a container definition as the engine holds them, and as the process inside sees
 * them.
 */
class DockerRuntimeConfigTest {
  @RegisterExtension static final RealEngine engine = new RealEngine();

  private final DockerRuntime runtime = engine.runtime();
  private final String cluster = engine.newCluster();

  @Test
  void definitionSettingsReachTheEngineAndTheProcess() {
    // The command exits 0 only if the process sees its user, directory, environment, limits,
    // host name, extra host and tmpfs as the definition says.
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "tuned", "revision": 4, "containerDefinitions": [{
                  "name": "tuned", "image": "berth-test/busybox:latest",
                  "memory": 128, "memoryReservation": 64, "cpu": 256,
                  "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 2048}],
                  "environment": [{"name": "GREETING", "value": "hi"}, {"name": "EMPTY", "value": ""}],
                  "workingDirectory": "/work", "user": "1000:1000", "hostname": "tuned-host",
                  "extraHosts": [{"hostname": "db.internal", "ipAddress": "10.1.2.3"}],
                  "dnsSearchDomains": ["example.internal"],
                  "dockerLabels": {"team": "berth"},
                  "dockerSecurityOptions": ["no-new-privileges"],
                  "linuxParameters": {
                    "initProcessEnabled": true, "sharedMemorySize": 32,
                    "capabilities": {"add": ["NET_ADMIN"], "drop": ["MKNOD"]},
                    "tmpfs": [{"containerPath": "/scratch", "size": 16, "mountOptions": ["rw"]}]
                  },
                  "logConfiguration": {"logDriver": "json-file", "options": {"max-size": "1m"}},
                  "stopTimeout": 7,
                  "entryPoint": ["sh", "-c"],
                  "command": ["test \\"$(id -u):$(id -g)\\" = 1000:1000 && test \\"$PWD\\" = /work && test \\"$GREETING\\" = hi && test \\"$(ulimit -n)\\" = 1024 && test \\"$(hostname)\\" = tuned-host && grep -q db.internal /etc/hosts && grep -q example.internal /etc/resolv.conf && touch /scratch/x"]
                }]}
                """));
    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("tuned").state().isStopped());
    assertThat(task.status("tuned").exitCode()).isZero();

    InspectContainerResponse inspected =
        runtime.docker().inspectContainerCmd(task.id("tuned")).exec();
    HostConfig host = inspected.getHostConfig();
    assertThat(host.getMemory()).isEqualTo(128L * 1024 * 1024);
    assertThat(host.getMemoryReservation()).isEqualTo(64L * 1024 * 1024);
    assertThat(host.getCpuShares()).isEqualTo(256);
    assertThat(host.getShmSize()).isEqualTo(32L * 1024 * 1024);
    assertThat(host.getInit()).isTrue();
    assertThat(host.getUlimits())
        .extracting(Ulimit::getName, Ulimit::getSoftLong, Ulimit::getHardLong)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("nofile", 1024L, 2048L));
    assertThat(Arrays.asList(host.getCapAdd())).containsExactly(Capability.NET_ADMIN);
    assertThat(Arrays.asList(host.getCapDrop())).containsExactly(Capability.MKNOD);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getTmpFs()).containsEntry("/scratch", "size=16m,rw");
    assertThat(host.getLogConfig().getConfig()).containsEntry("max-size", "1m");
    assertThat(host.getNetworkMode()).isEqualTo("bridge");
    assertThat(host.getReadonlyRootfs()).isFalse();
    assertThat(host.getPrivileged()).isFalse();
    assertThat(inspected.getConfig().getEnv()).contains("GREETING=hi", "EMPTY=");
    assertThat(inspected.getConfig().getWorkingDir()).isEqualTo("/work");
    assertThat(inspected.getConfig().getUser()).isEqualTo("1000:1000");
    assertThat(task.specs.get("tuned").stopTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(inspected.getConfig().getLabels())
        .containsEntry("team", "berth")
        .containsEntry(EcsLabels.CLUSTER, cluster)
        .containsEntry(EcsLabels.TASK_ARN, task.scope.taskArn())
        .containsEntry(EcsLabels.CONTAINER_NAME, "tuned")
        .containsEntry(EcsLabels.FAMILY, "tuned")
        .containsEntry(EcsLabels.VERSION, "4");
  }

  @Test
  void readonlyRootFilesystemIsApplied() {
    TestTask task =
        TestTask.run(
            runtime,
            cluster,
            json(
                """
                {"family": "locked", "revision": 1, "containerDefinitions": [
                  {"name": "locked", "image": "berth-test/busybox:latest",
                   "readonlyRootFilesystem": true,
                   "entryPoint": ["sh", "-c", "if touch /written 2>/dev/null; then exit 1; fi; exit 0"]}
                ]}
                """));
    await().atMost(Duration.ofSeconds(10)).until(() -> task.status("locked").state().isStopped());

    assertThat(task.status("locked").exitCode()).isZero();
    assertThat(
            runtime
                .docker()
                .inspectContainerCmd(task.id("locked"))
                .exec()
                .getHostConfig()
                .getReadonlyRootfs())
        .isTrue();
  }

  @Test
  void privilegedModeIsApplied() {
    // Created, not started: a privileged container gets every capability Docker knows, and a
    // host (or VM) that lacks one of them cannot start it, which start() reports as
    // CannotStartContainerError.
    TestTask task =
        TestTask.plan(
            runtime,
            cluster,
            json(
                """
                {"family": "privileged", "revision": 1, "containerDefinitions": [
                  {"name": "privileged", "image": "berth-test/busybox:latest", "privileged": true,
                   "entryPoint": ["true"]}
                ]}
                """));
    task.create("privileged");

    assertThat(
            runtime
                .docker()
                .inspectContainerCmd(task.id("privileged"))
                .exec()
                .getHostConfig()
                .getPrivileged())
        .isTrue();
  }

  @Test
  void cpuZeroBecomesTwoSharesAndTaskMemoryBoundsAContainerWithoutItsOwn() {
    TestTask task =
        TestTask.plan(
            runtime,
            cluster,
            json(
                """
                {"family": "small", "revision": 1, "memory": "0.25 GB", "cpu": "512",
                 "containerDefinitions": [
                  {"name": "a", "image": "berth-test/busybox:latest", "cpu": 0, "entryPoint": ["true"]}
                ]}
                """));
    task.create("a");

    HostConfig host = runtime.docker().inspectContainerCmd(task.id("a")).exec().getHostConfig();
    assertThat(host.getCpuShares()).isEqualTo(2);
    assertThat(host.getMemory()).isEqualTo(256L * 1024 * 1024);
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
  }
}
