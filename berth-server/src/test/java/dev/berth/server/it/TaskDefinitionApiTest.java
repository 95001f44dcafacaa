package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.UlimitName;
import software.amazon.awssdk.services.ecs.model.Volume;

/** Task definitions through the AWS SDK for Java v2 against a real Berth server. */
class TaskDefinitionApiTest {
  private static TestServer berth;
  private static EcsClient ecs;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  private static ContainerDefinition simple(String name) {
    return ContainerDefinition.builder().name(name).image("busybox:latest").memory(128).build();
  }

  private static TaskDefinition register(String family) {
    return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(simple("app")))
        .taskDefinition();
  }

  @Test
  void revisionsOfAFamilyCountFromOne() {
    assertThat(register("counting").revision()).isEqualTo(1);
    TaskDefinition second = register("counting");
    assertThat(second.revision()).isEqualTo(2);
    assertThat(second.taskDefinitionArn())
        .isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/counting:2");
    assertThat(second.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
    assertThat(second.registeredAt()).isNotNull();
    assertThat(second.compatibilitiesAsStrings()).contains("EC2", "EXTERNAL");
  }

  @Test
  void everyMemberOfAContainerDefinitionComesBackExactly() {
    ContainerDefinition full =
        ContainerDefinition.builder()
            .name("web")
            .image("registry.example.com/team/web:1.2.3")
            .repositoryCredentials(
                c ->
                    c.credentialsParameter(
                        "arn:aws:secretsmanager:us-east-1:000000000000:secret:reg"))
            .cpu(256)
            .memory(512)
            .memoryReservation(256)
            .links("sidecar")
            .portMappings(
                PortMapping.builder()
                    .containerPort(8080)
                    .hostPort(0)
                    .protocol(TransportProtocol.TCP)
                    .name("http")
                    .build(),
                PortMapping.builder()
                    .containerPort(5353)
                    .hostPort(5353)
                    .protocol(TransportProtocol.UDP)
                    .build())
            .essential(true)
            .entryPoint("/bin/sh", "-c")
            .command("httpd -f -p 8080")
            .environment(KeyValuePair.builder().name("MODE").value("prod").build())
            .mountPoints(m -> m.sourceVolume("data").containerPath("/data").readOnly(false))
            .volumesFrom(v -> v.sourceContainer("sidecar").readOnly(true))
            .linuxParameters(
                l ->
                    l.initProcessEnabled(true)
                        .sharedMemorySize(64)
                        .capabilities(c -> c.add("NET_ADMIN")))
            .dependsOn(d -> d.containerName("sidecar").condition(ContainerCondition.START))
            .startTimeout(30)
            .stopTimeout(20)
            .hostname("web-host")
            .user("1000:1000")
            .workingDirectory("/srv")
            .disableNetworking(false)
            .privileged(false)
            .readonlyRootFilesystem(true)
            .dnsServers("10.0.0.2")
            .dnsSearchDomains("example.internal")
            .extraHosts(h -> h.hostname("db").ipAddress("10.0.0.5"))
            .dockerSecurityOptions("no-new-privileges")
            .interactive(false)
            .pseudoTerminal(false)
            .dockerLabels(java.util.Map.of("tier", "front"))
            .ulimits(u -> u.name(UlimitName.NOFILE).softLimit(1024).hardLimit(4096))
            .logConfiguration(
                l -> l.logDriver(LogDriver.JSON_FILE).options(java.util.Map.of("max-size", "10m")))
            .healthCheck(
                h ->
                    h.command("CMD-SHELL", "wget -q -O- localhost:8080 || exit 1")
                        .interval(10)
                        .timeout(3)
                        .retries(2)
                        .startPeriod(5))
            .build();
    ContainerDefinition sidecar =
        ContainerDefinition.builder()
            .name("sidecar")
            .image("busybox")
            .cpu(0)
            .memoryReservation(32)
            .essential(false)
            .portMappings(List.of())
            .environment(List.of())
            .mountPoints(List.of())
            .volumesFrom(List.of())
            .build();
    RegisterTaskDefinitionRequest request =
        RegisterTaskDefinitionRequest.builder()
            .family("everything")
            .taskRoleArn("arn:aws:iam::000000000000:role/web")
            .executionRoleArn("arn:aws:iam::000000000000:role/exec")
            .networkMode(NetworkMode.BRIDGE)
            .containerDefinitions(full, sidecar)
            .volumes(Volume.builder().name("data").host(h -> h.sourcePath("/var/data")).build())
            .placementConstraints(
                p -> p.type("memberOf").expression("attribute:ecs.os-type == linux"))
            .requiresCompatibilitiesWithStrings("EC2")
            .cpu("1024")
            .memory("2048")
            .pidMode("task")
            .ipcMode("task")
            .tags(Tag.builder().key("app").value("web").build())
            .build();
    TaskDefinition registered = ecs.registerTaskDefinition(request).taskDefinition();
    TaskDefinition described =
        ecs.describeTaskDefinition(r -> r.taskDefinition("everything:1")).taskDefinition();
    for (TaskDefinition definition : List.of(registered, described)) {
      assertThat(definition.containerDefinitions()).containsExactly(full, sidecar);
      assertThat(definition.family()).isEqualTo("everything");
      assertThat(definition.taskRoleArn()).isEqualTo("arn:aws:iam::000000000000:role/web");
      assertThat(definition.executionRoleArn()).isEqualTo("arn:aws:iam::000000000000:role/exec");
      assertThat(definition.networkMode()).isEqualTo(NetworkMode.BRIDGE);
      assertThat(definition.volumes()).isEqualTo(request.volumes());
      assertThat(definition.placementConstraints())
          .extracting(p -> p.expression())
          .containsExactly("attribute:ecs.os-type == linux");
      assertThat(definition.requiresCompatibilitiesAsStrings()).containsExactly("EC2");
      assertThat(definition.cpu()).isEqualTo("1024");
      assertThat(definition.memory()).isEqualTo("2048");
      assertThat(definition.pidModeAsString()).isEqualTo("task");
      assertThat(definition.ipcModeAsString()).isEqualTo("task");
      assertThat(definition.requiresAttributes())
          .extracting(a -> a.name())
          .contains("ecs.capability.container-health-check", "ecs.capability.container-ordering")
          // Roles are stored, not required of instances: Berth gives tasks no credentials.
          .doesNotContain("com.amazonaws.ecs.capability.task-iam-role");
    }
  }

  @Test
  void ecsDefaultsAreFilledIn() {
    TaskDefinition registered =
        ecs.registerTaskDefinition(
                r ->
                    r.family("defaults")
                        .containerDefinitions(
                            ContainerDefinition.builder()
                                .name("app")
                                .image("busybox")
                                .memory(64)
                                .portMappings(PortMapping.builder().containerPort(80).build())
                                .build()))
            .taskDefinition();
    ContainerDefinition container = registered.containerDefinitions().get(0);
    assertThat(container.cpu()).isZero();
    assertThat(container.essential()).isTrue();
    assertThat(container.portMappings())
        .singleElement()
        .satisfies(mapping -> assertThat(mapping.protocol()).isEqualTo(TransportProtocol.TCP));
    assertThat(container.hasEnvironment()).isTrue();
    assertThat(container.hasMountPoints()).isTrue();
  }

  @Test
  void describeFindsARevisionByFamilyFamilyRevisionOrArn() {
    register("lookup");
    TaskDefinition second = register("lookup");
    assertThat(
            ecs.describeTaskDefinition(r -> r.taskDefinition("lookup")).taskDefinition().revision())
        .isEqualTo(2);
    assertThat(
            ecs.describeTaskDefinition(r -> r.taskDefinition("lookup:1"))
                .taskDefinition()
                .revision())
        .isEqualTo(1);
    assertThat(
            ecs.describeTaskDefinition(r -> r.taskDefinition(second.taskDefinitionArn()))
                .taskDefinition())
        .isEqualTo(second);
    assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("lookup:3")))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("Unable to describe task definition");
    assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("no-such-family")))
        .isInstanceOf(ClientException.class);
  }

  @Test
  void describeIncludesTagsOnlyWhenAsked() {
    ecs.registerTaskDefinition(
        r ->
            r.family("tagged")
                .containerDefinitions(simple("app"))
                .tags(Tag.builder().key("owner").value("me").build()));
    DescribeTaskDefinitionResponse plain =
        ecs.describeTaskDefinition(r -> r.taskDefinition("tagged"));
    assertThat(plain.hasTags()).isFalse();
    DescribeTaskDefinitionResponse withTags =
        ecs.describeTaskDefinition(
            r -> r.taskDefinition("tagged").include(TaskDefinitionField.TAGS));
    assertThat(withTags.tags()).containsExactly(Tag.builder().key("owner").value("me").build());
  }

  @Test
  void listTaskDefinitionsFiltersSortsAndPages() {
    IntStream.rangeClosed(1, 5).forEach(i -> register("listing"));
    register("listing-other");
    ecs.deregisterTaskDefinition(r -> r.taskDefinition("listing:2"));
    String prefix = "arn:aws:ecs:us-east-1:000000000000:task-definition/listing:";
    assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("listing")).taskDefinitionArns())
        .containsExactly(prefix + 1, prefix + 3, prefix + 4, prefix + 5);
    assertThat(
            ecs.listTaskDefinitions(r -> r.familyPrefix("listing").sort(SortOrder.DESC))
                .taskDefinitionArns())
        .containsExactly(prefix + 5, prefix + 4, prefix + 3, prefix + 1);
    assertThat(
            ecs.listTaskDefinitions(
                    r -> r.familyPrefix("listing").status(TaskDefinitionStatus.INACTIVE))
                .taskDefinitionArns())
        .containsExactly(prefix + 2);
    assertThat(
            ecs
                .listTaskDefinitionsPaginator(
                    r -> r.familyPrefix("listing").sort(SortOrder.DESC).maxResults(1))
                .taskDefinitionArns()
                .stream()
                .toList())
        .containsExactly(prefix + 5, prefix + 4, prefix + 3, prefix + 1);
    assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.maxResults(0)))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void listTaskDefinitionFamiliesByPrefixAndStatus() {
    register("fam-live");
    register("fam-gone");
    ecs.deregisterTaskDefinition(r -> r.taskDefinition("fam-gone:1"));
    assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-")).families())
        .containsExactly("fam-gone", "fam-live");
    assertThat(
            ecs.listTaskDefinitionFamilies(
                    r -> r.familyPrefix("fam-").status(TaskDefinitionFamilyStatus.ACTIVE))
                .families())
        .containsExactly("fam-live");
    assertThat(
            ecs.listTaskDefinitionFamilies(
                    r -> r.familyPrefix("fam-").status(TaskDefinitionFamilyStatus.INACTIVE))
                .families())
        .containsExactly("fam-gone");
  }

  @Test
  void deregisteringMakesARevisionInactiveButDescribable() {
    register("retiring");
    TaskDefinition inactive =
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("retiring:1")).taskDefinition();
    assertThat(inactive.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
    assertThat(inactive.deregisteredAt()).isNotNull();
    assertThat(
            ecs.describeTaskDefinition(r -> r.taskDefinition("retiring:1"))
                .taskDefinition()
                .status())
        .isEqualTo(TaskDefinitionStatus.INACTIVE);
    // A family with no ACTIVE revision has no latest revision to describe.
    assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("retiring")))
        .isInstanceOf(ClientException.class);
    assertThat(register("retiring").revision()).isEqualTo(2);
  }

  @Test
  void anEfsVolumesRootDirectoryDefaultsToTheFileSystemsRoot() {
    ecs.registerTaskDefinition(
        r ->
            r.family("efs-root")
                .containerDefinitions(simple("app"))
                .volumes(
                    Volume.builder()
                        .name("shared")
                        .efsVolumeConfiguration(e -> e.fileSystemId("fs-12345678"))
                        .build(),
                    Volume.builder()
                        .name("scoped")
                        .efsVolumeConfiguration(
                            e -> e.fileSystemId("fs-12345678").rootDirectory("/exports/app"))
                        .build()));
    assertThat(describe("efs-root:1").volumes())
        .extracting(
            volume ->
                volume.name()
                    + " "
                    + volume.efsVolumeConfiguration().fileSystemId()
                    + " "
                    + volume.efsVolumeConfiguration().rootDirectory())
        .containsExactly("shared fs-12345678 /", "scoped fs-12345678 /exports/app");
  }

  @Test
  void deregisteringWithoutARevisionIsAClientExceptionRevisionIsMissing() {
    register("no-revision");
    assertThatThrownBy(() -> ecs.deregisterTaskDefinition(r -> r.taskDefinition("no-revision")))
        .isInstanceOf(ClientException.class)
        .hasMessageStartingWith("Revision is missing.");
    assertThat(describe("no-revision:1").status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
  }

  @Test
  void deletingAMissingAnActiveOrAMalformedRevisionFailsWithEcsReasons() {
    register("delete-reasons");
    DeleteTaskDefinitionsResponse response =
        ecs.deleteTaskDefinitions(
            r -> r.taskDefinitions("delete-reasons:7", "delete-reasons:1", "delete-reasons:x"));
    assertThat(response.taskDefinitions()).isEmpty();
    assertThat(response.failures())
        .extracting(failure -> failure.arn() + " | " + failure.reason())
        .containsExactly(
            "delete-reasons:7 | The specified task definition does not exist. Specify a valid"
                + " account, family, revision and try again.",
            "delete-reasons:1 | The specified task definition is still in ACTIVE status. Please"
                + " deregister the target and try again.",
            "delete-reasons:x | The specified task definition identifier is invalid. Specify a"
                + " valid name or ARN and try again.");
    assertThat(describe("delete-reasons:1").status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
  }

  private static TaskDefinition describe(String reference) {
    return ecs.describeTaskDefinition(r -> r.taskDefinition(reference)).taskDefinition();
  }

  @Test
  void deletingRequiresInactiveRevisions() {
    register("deleting");
    register("deleting");
    ecs.deregisterTaskDefinition(r -> r.taskDefinition("deleting:1"));
    DeleteTaskDefinitionsResponse response =
        ecs.deleteTaskDefinitions(r -> r.taskDefinitions("deleting:1", "deleting:2", "deleting:9"));
    assertThat(response.taskDefinitions())
        .singleElement()
        .satisfies(
            deleted -> {
              assertThat(deleted.revision()).isEqualTo(1);
              assertThat(deleted.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
            });
    assertThat(response.failures()).hasSize(2);
    assertThat(
            ecs.listTaskDefinitions(
                    r -> r.familyPrefix("deleting").status(TaskDefinitionStatus.DELETE_IN_PROGRESS))
                .taskDefinitionArns())
        .containsExactly("arn:aws:ecs:us-east-1:000000000000:task-definition/deleting:1");
  }

  @Test
  void tagsOnTaskDefinitionsCanBeChanged() {
    String arn = register("retag").taskDefinitionArn();
    ecs.tagResource(
        r ->
            r.resourceArn(arn)
                .tags(
                    Tag.builder().key("a").value("1").build(),
                    Tag.builder().key("b").value("2").build()));
    ecs.untagResource(r -> r.resourceArn(arn).tagKeys("a"));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("b").value("2").build());
    assertThatThrownBy(
            () ->
                ecs.tagResource(
                    r -> r.resourceArn(arn).tags(Tag.builder().key("aws:x").value("1").build())))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void tagsOnClustersCanBeChanged() {
    String arn = ecs.createCluster(r -> r.clusterName("tag-me")).cluster().clusterArn();
    ecs.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build()));
    ecs.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("env").value("prod").build()));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("env").value("prod").build());
    List<Tag> tooMany =
        IntStream.range(0, 51)
            .mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
            .toList();
    assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(tooMany)))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void invalidTaskDefinitionsAreRefusedAndChangeNothing() {
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r -> r.family("bad family").containerDefinitions(simple("app"))))
        .isInstanceOf(ClientException.class);
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r ->
                        r.family("no-memory")
                            .containerDefinitions(
                                ContainerDefinition.builder()
                                    .name("app")
                                    .image("busybox")
                                    .build())))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("memory");
    List<ContainerDefinition> eleven =
        IntStream.range(0, 11).mapToObj(i -> simple("c" + i)).toList();
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(r -> r.family("too-many").containerDefinitions(eleven)))
        .isInstanceOf(ClientException.class);
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r -> r.family("dupe").containerDefinitions(simple("a"), simple("a"))))
        .isInstanceOf(ClientException.class);
    assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("no-memory")).families())
        .isEmpty();
    assertThat(register("no-memory").revision()).isEqualTo(1);
  }
}
