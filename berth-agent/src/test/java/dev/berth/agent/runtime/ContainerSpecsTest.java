package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.PortBinding.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ECS container definitions become container specs, without any engine. */
class ContainerSpecsTest {
  private static final String ARN = "arn:aws:ecs:us-east-1:000000000000:task/c1/0123abcd";
  private final HostPortAllocator ports = new HostPortAllocator("127.0.0.1", 21100, 21199);

  /** Returns a task definition of family app, revision 7, with the container and task fields. */
  private static ObjectNode task(String taskFields, String... containers) {
    return json(
        "{\"family\": \"app\", \"revision\": 7"
            + (taskFields.isEmpty() ? "" : ", " + taskFields)
            + ", \"containerDefinitions\": ["
            + String.join(",", containers)
            + "]}");
  }

  private ContainerSpec spec(ObjectNode taskDefinition) {
    return spec(taskDefinition, 0);
  }

  private ContainerSpec spec(ObjectNode taskDefinition, int index) {
    TaskScope scope = TaskScope.forNewTask("c1", ARN, taskDefinition);
    return ContainerSpecs.toSpec(
        scope, (ObjectNode) taskDefinition.get("containerDefinitions").get(index), ports);
  }

  @Test
  void overrideReplacesCommandAndSizesAndMergesEnvironmentByName() {
    ObjectNode definition =
        json(
            """
            {"name": "web", "image": "img", "command": ["old"], "cpu": 128, "memory": 256,
             "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
            """);
    ObjectNode override =
        json(
            """
            {"name": "web", "command": ["new", "arg"], "cpu": 512, "memoryReservation": 64,
             "environment": [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}],
             "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::bucket/x.env"}]}
            """);

    ObjectNode merged = ContainerSpecs.applyOverride(definition, override);

    assertThat(merged.get("command").toString()).isEqualTo("[\"new\",\"arg\"]");
    assertThat(merged.get("cpu").asInt()).isEqualTo(512);
    assertThat(merged.get("memory").asInt()).isEqualTo(256);
    assertThat(merged.get("memoryReservation").asInt()).isEqualTo(64);
    assertThat(merged.get("environment").toString())
        .isEqualTo(
            "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"20\"},"
                + "{\"name\":\"C\",\"value\":\"3\"}]");
    assertThat(merged.has("environmentFiles")).isFalse();
    assertThat(definition.get("command").toString()).isEqualTo("[\"old\"]");
  }

  @Test
  void overrideForAnotherContainerIsAMistake() {
    assertThatThrownBy(
            () ->
                ContainerSpecs.applyOverride(
                    json("{\"name\": \"a\", \"image\": \"i\"}"), json("{\"name\": \"b\"}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dockerNameFollowsTheEcsAgent() {
    assertThat(ContainerSpecs.dockerName("my-app", 12, "web_1"))
        .matches("ecs-my-app-12-web_1-[0-9a-f]{20}");
    assertThat(ContainerSpecs.dockerName("app", 1, "web"))
        .isNotEqualTo(ContainerSpecs.dockerName("app", 1, "web"));
  }

  @Test
  void ecsLabelsWinOverDockerLabels() {
    ContainerSpec spec =
        spec(
            task(
                "",
                """
                {"name": "web", "image": "img",
                 "dockerLabels": {"team": "a", "com.amazonaws.ecs.cluster": "spoofed"}}
                """));

    assertThat(spec.labels())
        .containsEntry("team", "a")
        .containsEntry(EcsLabels.CLUSTER, "c1")
        .containsEntry(EcsLabels.TASK_ARN, ARN)
        .containsEntry(EcsLabels.CONTAINER_NAME, "web")
        .containsEntry(EcsLabels.FAMILY, "app")
        .containsEntry(EcsLabels.VERSION, "7");
    assertThat(spec.name()).matches("ecs-app-7-web-[0-9a-f]{20}");
  }

  @Test
  void processSettingsAreCarriedOver() {
    ContainerSpec spec =
        spec(
            task(
                "",
                """
                {"name": "web", "image": "img:1", "entryPoint": ["sh", "-c"], "command": ["run"],
                 "environment": [{"name": "Z", "value": "last"}, {"name": "A", "value": "first"}],
                 "workingDirectory": "/srv", "user": "app", "interactive": true,
                 "pseudoTerminal": true, "linuxParameters": {"initProcessEnabled": true}}
                """));

    ContainerSpec.Process process = spec.process();
    assertThat(spec.image()).isEqualTo("img:1");
    assertThat(process.entryPoint()).containsExactly("sh", "-c");
    assertThat(process.command()).containsExactly("run");
    assertThat(process.environment())
        .containsExactly(Map.entry("Z", "last"), Map.entry("A", "first"));
    assertThat(process.workingDirectory()).isEqualTo("/srv");
    assertThat(process.user()).isEqualTo("app");
    assertThat(process.interactive()).isTrue();
    assertThat(process.pseudoTerminal()).isTrue();
    assertThat(process.init()).isTrue();
    assertThat(spec.stopTimeout()).isEqualTo(ContainerSpecs.DEFAULT_STOP_TIMEOUT);
    assertThat(spec.healthCheck()).isNull();
    assertThat(spec.log()).isNull();
  }

  @Test
  void cpuUnitsBecomeSharesWithinTheKernelsBounds() {
    for (var entry :
        Map.of(
                "",
                2,
                "\"cpu\": 0,",
                2,
                "\"cpu\": 1,",
                2,
                "\"cpu\": 512,",
                512,
                "\"cpu\": 300000,",
                262144)
            .entrySet()) {
      ContainerSpec spec =
          spec(task("", "{" + entry.getKey() + "\"name\": \"w\", \"image\": \"i\"}"));
      assertThat(spec.resources().cpuShares()).as(entry.getKey()).isEqualTo(entry.getValue());
    }
  }

  @Test
  void memoryIsInMibAndTaskSizeBoundsContainersWithoutTheirOwn() {
    ContainerSpec own =
        spec(
            task(
                "\"memory\": \"1 GB\", \"cpu\": \"0.5 vCPU\"",
                "{\"name\": \"w\", \"image\": \"i\", \"memory\": 300, \"memoryReservation\": 100}"));
    ContainerSpec none = spec(task("\"memory\": \"2GB\"", "{\"name\": \"w\", \"image\": \"i\"}"));
    ContainerSpec soft =
        spec(
            task(
                "\"memory\": \"512\"",
                "{\"name\": \"w\", \"image\": \"i\", \"memoryReservation\": 64}"));

    assertThat(own.resources().memoryBytes()).isEqualTo(300L << 20);
    assertThat(own.resources().memoryReservationBytes()).isEqualTo(100L << 20);
    assertThat(own.resources().nanoCpus()).isEqualTo(500_000_000L);
    assertThat(none.resources().memoryBytes()).isEqualTo(2048L << 20);
    assertThat(soft.resources().memoryBytes()).isNull();
    assertThat(soft.resources().memoryReservationBytes()).isEqualTo(64L << 20);
  }

  @Test
  void linuxParametersBecomeDockerSettings() {
    ContainerSpec spec =
        spec(
            task(
                "",
                """
                {"name": "w", "image": "i", "memory": 100, "privileged": true,
                 "readonlyRootFilesystem": true, "dockerSecurityOptions": ["no-new-privileges"],
                 "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}],
                 "ulimits": [{"name": "nofile", "softLimit": 10, "hardLimit": 20}],
                 "linuxParameters": {
                   "capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW"]},
                   "sharedMemorySize": 64, "maxSwap": 50, "swappiness": 10,
                   "tmpfs": [{"containerPath": "/run", "size": 8, "mountOptions": ["noexec"]}],
                   "devices": [{"hostPath": "/dev/fuse", "permissions": ["read", "write"]}]}}
                """));

    assertThat(spec.resources().sharedMemoryBytes()).isEqualTo(64L << 20);
    assertThat(spec.resources().memorySwapBytes()).isEqualTo(150L << 20);
    assertThat(spec.resources().memorySwappiness()).isEqualTo(10L);
    assertThat(spec.resources().ulimits())
        .containsExactly(new ContainerSpec.Ulimit("nofile", 10, 20));
    assertThat(spec.storage().tmpfs()).containsEntry("/run", "size=8m,noexec");
    assertThat(spec.storage().devices())
        .containsExactly(new ContainerSpec.Device("/dev/fuse", "/dev/fuse", "rw"));
    assertThat(spec.storage().readonlyRootFilesystem()).isTrue();
    assertThat(spec.security().privileged()).isTrue();
    assertThat(spec.security().capabilitiesAdd()).containsExactly("SYS_PTRACE");
    assertThat(spec.security().capabilitiesDrop()).containsExactly("NET_RAW");
    assertThat(spec.security().securityOptions()).containsExactly("no-new-privileges");
    assertThat(spec.security().sysctls()).containsEntry("net.core.somaxconn", "1024");
  }

  @Test
  void swapLimitNeedsAMemoryLimit() {
    assertThatThrownBy(
            () ->
                spec(
                    task(
                        "",
                        "{\"name\": \"w\", \"image\": \"i\", \"linuxParameters\": {\"maxSwap\": 10}}")))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("maxSwap needs a hard memory limit");
  }

  @Test
  void healthCheckSecondsBecomeDurationsWithEcsDefaults() {
    ContainerSpec spec =
        spec(
            task(
                "",
                """
                {"name": "w", "image": "i", "stopTimeout": 12,
                 "healthCheck": {"command": ["CMD", "true"], "startPeriod": 10}}
                """));

    assertThat(spec.healthCheck())
        .isEqualTo(
            new ContainerSpec.HealthCheck(
                List.of("CMD", "true"),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                3));
    assertThat(spec.stopTimeout()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void bridgePortsGetStaticOrDynamicHostPortsOnTheBindAddress() {
    ContainerSpec spec =
        spec(
            task(
                "",
                """
                {"name": "w", "image": "i", "portMappings": [
                  {"containerPort": 80},
                  {"containerPort": 53, "protocol": "udp"},
                  {"containerPort": 8080, "hostPort": 21150},
                  {"containerPortRange": "9000-9002"}]}
                """));

    List<PortBinding> bindings = spec.network().ports();
    assertThat(spec.network().mode()).isEqualTo("bridge");
    assertThat(bindings).hasSize(6).allMatch(b -> "127.0.0.1".equals(b.hostIp()));
    assertThat(bindings.get(0).hostPort()).isBetween(21100, 21199);
    assertThat(bindings.get(1).protocol()).isEqualTo(Protocol.UDP);
    assertThat(bindings.get(2)).isEqualTo(new PortBinding(8080, 21150, Protocol.TCP, "127.0.0.1"));
    assertThat(bindings.subList(3, 6))
        .extracting(PortBinding::containerPort)
        .containsExactly(9000, 9001, 9002);
    int first = bindings.get(3).hostPort();
    assertThat(bindings.subList(3, 6))
        .extracting(PortBinding::hostPort)
        .containsExactly(first, first + 1, first + 2);
    assertThat(ports.isInUse(21150, Protocol.TCP)).isTrue();
  }

  @Test
  void portsTakenBeforeAFailureAreGivenBack() {
    ports.claim(21160, Protocol.TCP);

    assertThatThrownBy(
            () ->
                spec(
                    task(
                        "",
                        """
                        {"name": "w", "image": "i", "portMappings": [
                          {"containerPort": 80, "hostPort": 21161},
                          {"containerPort": 81, "hostPort": 21160}]}
                        """)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("21160/tcp is already used");
    assertThat(ports.isInUse(21161, Protocol.TCP)).isFalse();
  }

  @Test
  void hostModePortsAreTheContainerPorts() {
    ContainerSpec spec =
        spec(
            task(
                "\"networkMode\": \"host\"",
                "{\"name\": \"w\", \"image\": \"i\", \"portMappings\": [{\"containerPort\": 21170}]}"));

    assertThat(spec.network().mode()).isEqualTo("host");
    assertThat(spec.network().ports())
        .containsExactly(new PortBinding(21170, 21170, Protocol.TCP, null));
    assertThatThrownBy(
            () ->
                spec(
                    task(
                        "\"networkMode\": \"host\"",
                        """
                        {"name": "w", "image": "i",
                         "portMappings": [{"containerPort": 80, "hostPort": 8080}]}
                        """)))
        .hasMessageContaining("hostPort must equal containerPort");
  }

  @Test
  void noneModeHasNoPorts() {
    assertThatThrownBy(
            () ->
                spec(
                    task(
                        "\"networkMode\": \"none\"",
                        "{\"name\": \"w\", \"image\": \"i\", \"portMappings\": [{\"containerPort\": 80}]}")))
        .hasMessageContaining("portMappings cannot be used with networkMode none");
  }

  @Test
  void linksAndVolumesFromNameTheOtherContainersDockerNames() {
    ObjectNode definition =
        task(
            "",
            "{\"name\": \"db\", \"image\": \"i\"}",
            """
            {"name": "web", "image": "i", "links": ["db:database", "db"],
             "volumesFrom": [{"sourceContainer": "db", "readOnly": true}],
             "extraHosts": [{"hostname": "x.internal", "ipAddress": "10.0.0.1"}],
             "dnsServers": ["10.0.0.2"], "dnsSearchDomains": ["internal"], "hostname": "web1"}
            """);
    TaskScope scope = TaskScope.forNewTask("c1", ARN, definition);
    String db = scope.containerNames().get("db");

    ContainerSpec web =
        ContainerSpecs.toSpec(
            scope, (ObjectNode) definition.get("containerDefinitions").get(1), ports);

    assertThat(web.network().links()).containsExactly(db + ":database", db + ":db");
    assertThat(web.storage().volumesFrom()).containsExactly(new ContainerSpec.VolumeFrom(db, true));
    assertThat(web.network().extraHosts()).containsExactly("x.internal:10.0.0.1");
    assertThat(web.network().dnsServers()).containsExactly("10.0.0.2");
    assertThat(web.network().dnsSearchDomains()).containsExactly("internal");
    assertThat(web.network().hostname()).isEqualTo("web1");
  }

  @Test
  void volumesAreHostPathsTaskVolumesOrSharedVolumes() {
    ObjectNode definition =
        task(
            """
            "volumes": [
              {"name": "logs", "host": {"sourcePath": "/var/log/app"}},
              {"name": "scratch"},
              {"name": "cache", "dockerVolumeConfiguration": {"scope": "task", "driver": "local",
                "driverOpts": {"type": "tmpfs", "device": "tmpfs"}}},
              {"name": "keep", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true}}]
            """,
            """
            {"name": "w", "image": "i", "mountPoints": [
              {"sourceVolume": "logs", "containerPath": "/logs", "readOnly": true},
              {"sourceVolume": "scratch", "containerPath": "/scratch"},
              {"sourceVolume": "keep", "containerPath": "/keep"}]}
            """);
    TaskScope scope = TaskScope.forNewTask("c1", ARN, definition);
    TaskVolumes volumes = scope.volumes();

    assertThat(volumes.get("logs").kind()).isEqualTo(TaskVolumes.Kind.HOST_PATH);
    assertThat(volumes.get("scratch").kind()).isEqualTo(TaskVolumes.Kind.TASK);
    assertThat(volumes.get("scratch").source()).isEqualTo("ecs-app-7-scratch-0123abcd");
    assertThat(volumes.get("scratch").labels())
        .containsEntry(EcsLabels.TASK_ARN, ARN)
        .containsEntry(EcsLabels.CLUSTER, "c1");
    assertThat(volumes.get("cache").driverOpts()).containsEntry("type", "tmpfs");
    assertThat(volumes.get("keep").kind()).isEqualTo(TaskVolumes.Kind.SHARED);
    assertThat(volumes.get("keep").source()).isEqualTo("keep");

    ContainerSpec spec =
        ContainerSpecs.toSpec(
            scope, (ObjectNode) definition.get("containerDefinitions").get(0), ports);
    assertThat(spec.storage().mounts())
        .containsExactly(
            new ContainerSpec.Mount(ContainerSpec.Mount.Kind.BIND, "/var/log/app", "/logs", true),
            new ContainerSpec.Mount(
                ContainerSpec.Mount.Kind.VOLUME, "ecs-app-7-scratch-0123abcd", "/scratch", false),
            new ContainerSpec.Mount(ContainerSpec.Mount.Kind.VOLUME, "keep", "/keep", false));
  }

  @Test
  void mountOfAnUndeclaredVolumeIsRefused() {
    assertThatThrownBy(
            () ->
                spec(
                    task(
                        "",
                        """
                        {"name": "w", "image": "i",
                         "mountPoints": [{"sourceVolume": "nope", "containerPath": "/x"}]}
                        """)))
        .hasMessage("CannotCreateContainerError: container w: mount point of unknown volume nope");
  }

  @Test
  void whatThisHostCannotHonourIsRefusedByName() {
    Map<String, String> refused =
        Map.of(
            "\"secrets\": [{\"name\": \"S\", \"valueFrom\": \"arn:x\"}]",
            "secrets",
            "\"environmentFiles\": [{\"type\": \"s3\", \"value\": \"arn:x\"}]",
            "environmentFiles",
            "\"firelensConfiguration\": {\"type\": \"fluentbit\"}",
            "firelensConfiguration",
            "\"resourceRequirements\": [{\"type\": \"GPU\", \"value\": \"1\"}]",
            "resourceRequirements",
            "\"logConfiguration\": {\"logDriver\": \"awsfirelens\"}",
            "awsfirelens",
            "\"logConfiguration\": {\"logDriver\": \"json-file\", \"secretOptions\": [{\"name\": \"a\", \"valueFrom\": \"b\"}]}",
            "secretOptions");
    refused.forEach(
        (field, word) ->
            assertThatThrownBy(
                    () -> spec(task("", "{\"name\": \"w\", \"image\": \"i\", " + field + "}")))
                .as(field)
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageStartingWith("CannotCreateContainerError: container w: ")
                .hasMessageContaining(word));

    Map<String, String> refusedTask =
        Map.of(
            "\"networkMode\": \"awsvpc\"", "networkMode awsvpc",
            "\"pidMode\": \"task\"", "pidMode task",
            "\"ipcMode\": \"task\"", "ipcMode task",
            "\"ephemeralStorage\": {\"sizeInGiB\": 30}", "ephemeralStorage",
            "\"proxyConfiguration\": {\"containerName\": \"envoy\"}", "proxyConfiguration");
    refusedTask.forEach(
        (field, word) ->
            assertThatThrownBy(() -> spec(task(field, "{\"name\": \"w\", \"image\": \"i\"}")))
                .as(field)
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining(word));
  }

  @Test
  void volumeTypesThisHostCannotProvideAreRefused() {
    for (String volume :
        List.of(
            "{\"name\": \"v\", \"efsVolumeConfiguration\": {\"fileSystemId\": \"fs-1\"}}",
            "{\"name\": \"v\", \"fsxWindowsFileServerVolumeConfiguration\": {\"fileSystemId\": \"fs-1\"}}",
            "{\"name\": \"v\", \"configuredAtLaunch\": true}")) {
      assertThatThrownBy(
              () ->
                  TaskScope.forNewTask(
                      "c1",
                      ARN,
                      task("\"volumes\": [" + volume + "]", "{\"name\": \"w\", \"image\": \"i\"}")))
          .as(volume)
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageContaining("volume v");
    }
  }

  @Test
  void ecsHealthStatusNamesComeFromDockers() {
    assertThat(HealthStatus.fromDocker(" healthy")).isEqualTo(HealthStatus.HEALTHY);
    assertThat(HealthStatus.fromDocker("unhealthy")).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(HealthStatus.fromDocker("starting")).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(HealthStatus.fromDocker(null)).isEqualTo(HealthStatus.UNKNOWN);
  }
}
