package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.EnvironmentFile;
import software.amazon.awssdk.services.ecs.model.EnvironmentFileType;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * ECS's documented quotas through the AWS SDK for Java v2: each refused with ECS's exception, and
 * the refused call leaves the resource as it was.
 */
class EcsQuotaApiTest {
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

  private static ContainerDefinition.Builder container(String name) {
    return ContainerDefinition.builder().name(name).image("busybox").memory(32);
  }

  private static List<Tag> tags(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> Tag.builder().key(prefix + i).value("v").build())
        .toList();
  }

  private static int revisions(String family) {
    return ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns().size();
  }

  @Test
  void aTaskDefinitionPastSixtyFourKibibytesIsRefusedWithEcsMessage() {
    List<KeyValuePair> environment = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      environment.add(KeyValuePair.builder().name("VAR_" + i).value("x".repeat(2000)).build());
    }
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r ->
                        r.family("oversized")
                            .containerDefinitions(
                                container("big").environment(environment).build())))
        .isInstanceOf(ClientException.class)
        .hasMessageMatching("Actual length: '\\d+'\\. Max allowed length is '65536' bytes\\..*");
    assertThat(revisions("oversized")).isZero();

    List<KeyValuePair> fits = environment.subList(0, 30);
    ecs.registerTaskDefinition(
        r ->
            r.family("oversized").containerDefinitions(container("big").environment(fits).build()));
    assertThat(revisions("oversized")).isEqualTo(1);
  }

  @Test
  void anOverLongEnvironmentValueIsRefused() {
    KeyValuePair huge = KeyValuePair.builder().name("HUGE").value("x".repeat(65_537)).build();
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r ->
                        r.family("huge")
                            .containerDefinitions(container("c").environment(huge).build())))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("containerDefinitions[0].environment[0].value")
        .hasMessageContaining("Member must have length less than or equal to 65536");
    assertThat(revisions("huge")).isZero();
  }

  @Test
  void aTaskDefinitionHoldsAtMostTenContainers() {
    List<ContainerDefinition> eleven =
        IntStream.range(0, 11).mapToObj(i -> container("c" + i).build()).toList();
    assertThatThrownBy(
            () -> ecs.registerTaskDefinition(r -> r.family("crowded").containerDefinitions(eleven)))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("Too many containers.");
    ecs.registerTaskDefinition(
        r -> r.family("crowded").containerDefinitions(eleven.subList(0, 10)));
    assertThat(revisions("crowded")).isEqualTo(1);
  }

  @Test
  void aContainerTakesAtMostTenEnvironmentFiles() {
    List<EnvironmentFile> files =
        IntStream.range(0, 11)
            .mapToObj(
                i ->
                    EnvironmentFile.builder()
                        .type(EnvironmentFileType.S3)
                        .value("arn:aws:s3:::bucket/" + i + ".env")
                        .build())
            .toList();
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    r ->
                        r.family("files")
                            .containerDefinitions(container("c").environmentFiles(files).build())))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("environmentFiles")
        .hasMessageContaining("Member must have length less than or equal to 10");
    assertThat(revisions("files")).isZero();
  }

  @Test
  void tagResourceCountsTheTagsAResourceAlreadyHas() {
    String arn =
        ecs.createCluster(r -> r.clusterName("tagged").tags(tags("first", 40)))
            .cluster()
            .clusterArn();

    assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(tags("more", 11))))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).hasSize(40);

    List<Tag> tenNewAndOneOverwritten = new ArrayList<>(tags("more", 10));
    tenNewAndOneOverwritten.add(Tag.builder().key("first0").value("changed").build());
    ecs.tagResource(r -> r.resourceArn(arn).tags(tenNewAndOneOverwritten));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .hasSize(50)
        .contains(Tag.builder().key("first0").value("changed").build());
  }

  @Test
  void aResourceIsCreatedWithAtMostFiftyTags() {
    assertThatThrownBy(
            () -> ecs.createCluster(r -> r.clusterName("overtagged").tags(tags("t", 51))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("Member must have length less than or equal to 50");
    assertThat(ecs.describeClusters(r -> r.clusters("overtagged")).clusters()).isEmpty();
  }

  @Test
  void tagKeysAndValuesKeepToTheirLengthsAndTheAwsPrefixIsReserved() {
    String arn = ecs.createCluster(r -> r.clusterName("tag-rules")).cluster().clusterArn();
    for (Tag bad :
        List.of(
            Tag.builder().key("k".repeat(129)).value("v").build(),
            Tag.builder().key("k").value("v".repeat(257)).build(),
            Tag.builder().key("aws:owner").value("me").build(),
            Tag.builder().key("AWS:owner").value("me").build())) {
      assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(bad)))
          .as(bad.toString())
          .isInstanceOf(InvalidParameterException.class);
    }
    ecs.tagResource(
        r ->
            r.resourceArn(arn)
                .tags(Tag.builder().key("k".repeat(128)).value("v".repeat(256)).build()));
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).hasSize(1);
  }

  @Test
  void putAttributesTakesTenPerCallAndTenCustomPerInstance() {
    ecs.createCluster(r -> r.clusterName("attributes"));
    String instance = AgentCalls.register(ecs, "attributes", 1024, 1024).containerInstanceArn();
    List<Attribute> eleven =
        IntStream.range(0, 11)
            .mapToObj(i -> Attribute.builder().name("custom" + i).targetId(instance).build())
            .toList();

    assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster("attributes").attributes(eleven)))
        .isInstanceOf(InvalidParameterException.class);
    ecs.putAttributes(r -> r.cluster("attributes").attributes(eleven.subList(0, 10)));
    assertThatThrownBy(
            () -> ecs.putAttributes(r -> r.cluster("attributes").attributes(eleven.get(10))))
        .isInstanceOf(AttributeLimitExceededException.class);

    assertThat(
            ecs
                .listAttributes(r -> r.cluster("attributes").targetType("container-instance"))
                .attributes()
                .stream()
                .filter(attribute -> attribute.name().startsWith("custom")))
        .hasSize(10);
  }

  @Test
  void runTaskOverridesHoldAtMost8192Characters() {
    ecs.registerTaskDefinition(
        r -> r.family("overridden").containerDefinitions(container("c").build()));
    ContainerOverride big =
        ContainerOverride.builder()
            .name("c")
            .environment(KeyValuePair.builder().name("BIG").value("x".repeat(8200)).build())
            .build();
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    r ->
                        r.cluster("default")
                            .taskDefinition("overridden")
                            .overrides(o -> o.containerOverrides(big))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("Container Overrides length must be at most 8192");
    assertThat(ecs.listTasks(r -> r.cluster("default")).taskArns()).isEmpty();
  }
}
