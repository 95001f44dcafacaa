package dev.berth.server.it;

import static dev.berth.server.it.AgentCalls.register;
import static dev.berth.server.it.AgentCalls.stringSet;
import static dev.berth.server.it.AgentCalls.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TargetNotFoundException;
import software.amazon.awssdk.services.ecs.model.TargetType;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;

/** Container instances through the AWS SDK for Java v2, the test playing the agent. */
class ContainerInstanceApiTest {
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

  private static String cluster(String name) {
    ecs.createCluster(r -> r.clusterName(name));
    return name;
  }

  private static ContainerInstance describe(String cluster, String instance) {
    return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(instance))
        .containerInstances()
        .get(0);
  }

  @Test
  void registeredInstanceIsActiveAtOnceWithWhatItRegistered() {
    String cluster = cluster("register");

    ContainerInstance instance = register(ecs, cluster, 2048, 3968);

    assertThat(instance.containerInstanceArn())
        .matches("arn:aws:ecs:us-east-1:000000000000:container-instance/register/[0-9a-f]{32}");
    assertThat(instance.ec2InstanceId()).matches("i-[0-9a-f]{17}");
    assertThat(instance.status()).isEqualTo("ACTIVE");
    assertThat(instance.agentConnected()).isFalse();
    assertThat(instance.version()).isEqualTo(1L);
    assertThat(instance.registeredAt()).isNotNull();
    assertThat(instance.versionInfo().agentVersion()).isEqualTo("1.0.0");
    assertThat(value(instance.registeredResources(), "CPU")).isEqualTo(2048);
    assertThat(value(instance.registeredResources(), "MEMORY")).isEqualTo(3968);
    assertThat(stringSet(instance.registeredResources(), "PORTS")).containsExactly("22");
    assertThat(value(instance.remainingResources(), "CPU")).isEqualTo(2048);
    assertThat(stringSet(instance.remainingResources(), "PORTS")).containsExactly("22");
    assertThat(instance.runningTasksCount()).isZero();
    assertThat(instance.pendingTasksCount()).isZero();
    assertThat(instance.attributes())
        .extracting(Attribute::name)
        .containsExactly("ecs.os-type", "ecs.cpu-architecture");
  }

  @Test
  void theIdentityDocumentNamesTheEc2Instance() {
    String cluster = cluster("identity");

    ContainerInstance instance =
        ecs.registerContainerInstance(
                r ->
                    r.cluster(cluster)
                        .instanceIdentityDocument(
                            "{\"instanceId\":\"i-0abc1234def567890\",\"region\":\"us-east-1\"}")
                        .totalResources(AgentCalls.integer("CPU", 1024)))
            .containerInstance();

    assertThat(instance.ec2InstanceId()).isEqualTo("i-0abc1234def567890");
  }

  @Test
  void agentConnectionShowsInDescribe() {
    String cluster = cluster("connected");
    String arn = register(ecs, cluster, 1024, 1024).containerInstanceArn();

    berth.setAgentConnected(arn, true);

    assertThat(describe(cluster, arn).agentConnected()).isTrue();
  }

  @Test
  void describingAnEmptyListOfContainerInstancesIsAClientException() {
    String cluster = cluster("describe-none");
    assertThatThrownBy(
            () ->
                ecs.describeContainerInstances(
                    r -> r.cluster(cluster).containerInstances(List.of())))
        .isInstanceOf(ClientException.class)
        .hasMessageStartingWith("Container Instances cannot be empty.");
  }

  @Test
  void describeFindsInstancesByIdOrArnAndReportsOthersMissing() {
    String cluster = cluster("describe");
    String arn = register(ecs, cluster, 1024, 1024).containerInstanceArn();
    ecs.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("rack").value("r1").build()));
    String id = arn.substring(arn.lastIndexOf('/') + 1);

    DescribeContainerInstancesResponse response =
        ecs.describeContainerInstances(
            r ->
                r.cluster(cluster)
                    .containerInstances(id, "0123456789abcdef0123456789abcdef")
                    .include(ContainerInstanceField.TAGS));

    assertThat(response.containerInstances())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.containerInstanceArn()).isEqualTo(arn);
              assertThat(instance.tags()).extracting(Tag::key).containsExactly("rack");
            });
    assertThat(response.failures())
        .singleElement()
        .satisfies(failure -> assertThat(failure.reason()).isEqualTo("MISSING"));
    assertThat(describe(cluster, arn).hasTags()).isFalse();
    assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .extracting(Tag::value)
        .containsExactly("r1");
  }

  @Test
  void listPagesAndFiltersByStatus() {
    String cluster = cluster("listing");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      arns.add(register(ecs, cluster, 1024, 1024).containerInstanceArn());
    }
    ecs.updateContainerInstancesState(
        r -> r.cluster(cluster).containerInstances(arns.get(0)).status("DRAINING"));

    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListContainerInstancesResponse page =
          ecs.listContainerInstances(r -> r.cluster(cluster).maxResults(2).nextToken(next));
      assertThat(page.containerInstanceArns()).hasSizeLessThanOrEqualTo(2);
      seen.addAll(page.containerInstanceArns());
      token = page.nextToken();
    } while (token != null);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(arns).isSorted();
    assertThat(
            ecs.listContainerInstances(
                    r -> r.cluster(cluster).status(ContainerInstanceStatus.DRAINING))
                .containerInstanceArns())
        .containsExactly(arns.get(0));
  }

  @Test
  void drainingAndBackToActiveMovesTheVersion() {
    String cluster = cluster("draining");
    String arn = register(ecs, cluster, 1024, 1024).containerInstanceArn();

    UpdateContainerInstancesStateResponse drained =
        ecs.updateContainerInstancesState(
            r ->
                r.cluster(cluster)
                    .containerInstances(arn, "0123456789abcdef0123456789abcdef")
                    .status(ContainerInstanceStatus.DRAINING));
    ContainerInstance active =
        ecs.updateContainerInstancesState(
                r ->
                    r.cluster(cluster)
                        .containerInstances(arn)
                        .status(ContainerInstanceStatus.ACTIVE))
            .containerInstances()
            .get(0);

    assertThat(drained.containerInstances())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.status()).isEqualTo("DRAINING");
              assertThat(instance.version()).isEqualTo(2L);
            });
    assertThat(drained.failures()).extracting(f -> f.reason()).containsExactly("MISSING");
    assertThat(active.status()).isEqualTo("ACTIVE");
    assertThat(active.version()).isEqualTo(3L);
    assertThatThrownBy(
            () ->
                ecs.updateContainerInstancesState(
                    r -> r.cluster(cluster).containerInstances(arn).status("REGISTERING")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void attributesArePutListedAndDeleted() {
    String cluster = cluster("attributes");
    String arn = register(ecs, cluster, 1024, 1024).containerInstanceArn();
    String other = register(ecs, cluster, 1024, 1024).containerInstanceArn();

    ecs.putAttributes(
        r ->
            r.cluster(cluster)
                .attributes(
                    Attribute.builder().name("stack").value("prod").targetId(arn).build(),
                    Attribute.builder().name("stack").value("test").targetId(other).build(),
                    Attribute.builder().name("gpu").targetId(arn).build()));

    assertThat(
            ecs.listAttributes(
                    r ->
                        r.cluster(cluster)
                            .targetType(TargetType.CONTAINER_INSTANCE)
                            .attributeName("stack")
                            .attributeValue("prod"))
                .attributes())
        .singleElement()
        .satisfies(
            attribute -> {
              assertThat(attribute.targetId()).isEqualTo(arn);
              assertThat(attribute.targetType()).isEqualTo(TargetType.CONTAINER_INSTANCE);
            });
    assertThat(describe(cluster, arn).attributes())
        .extracting(Attribute::name)
        .contains("stack", "gpu");
    assertThat(describe(cluster, arn).version()).isEqualTo(2L);

    ecs.deleteAttributes(
        r -> r.cluster(cluster).attributes(Attribute.builder().name("gpu").targetId(arn).build()));
    assertThat(describe(cluster, arn).attributes())
        .extracting(Attribute::name)
        .doesNotContain("gpu");

    assertThatThrownBy(
            () ->
                ecs.putAttributes(
                    r ->
                        r.cluster(cluster)
                            .attributes(
                                Attribute.builder()
                                    .name("x")
                                    .targetId("0123456789abcdef0123456789abcdef")
                                    .build())))
        .isInstanceOf(TargetNotFoundException.class);
    List<Attribute> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add(Attribute.builder().name("custom" + i).targetId(other).build());
    }
    assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(many)))
        .isInstanceOf(AttributeLimitExceededException.class);
  }

  @Test
  void deregisteredInstancesTurnInactiveAndLeaveTheCounts() {
    String cluster = cluster("deregister");
    String arn = register(ecs, cluster, 1024, 1024).containerInstanceArn();
    assertThat(
            ecs.describeClusters(r -> r.clusters(cluster))
                .clusters()
                .get(0)
                .registeredContainerInstancesCount())
        .isEqualTo(1);
    assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster(cluster)))
        .isInstanceOf(ClusterContainsContainerInstancesException.class);

    ContainerInstance inactive =
        ecs.deregisterContainerInstance(r -> r.cluster(cluster).containerInstance(arn))
            .containerInstance();

    assertThat(inactive.status()).isEqualTo("INACTIVE");
    assertThat(describe(cluster, arn).status()).isEqualTo("INACTIVE");
    assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns())
        .isEmpty();
    assertThat(
            ecs.describeClusters(r -> r.clusters(cluster).include(ClusterField.STATISTICS))
                .clusters()
                .get(0)
                .registeredContainerInstancesCount())
        .isZero();
    assertThat(ecs.deleteCluster(r -> r.cluster(cluster)).cluster().status()).isEqualTo("INACTIVE");
  }

  @Test
  void unknownClustersAndBadResourcesAreRefused() {
    assertThatThrownBy(() -> register(ecs, "no-such-cluster", 1024, 1024))
        .isInstanceOf(ClusterNotFoundException.class);
    assertThatThrownBy(
            () ->
                ecs.registerContainerInstance(
                    r ->
                        r.cluster(cluster("bad-resources"))
                            .totalResources(AgentCalls.ports("PORTS", "http"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(
            () ->
                ecs.deregisterContainerInstance(
                    r ->
                        r.cluster("bad-resources")
                            .containerInstance("0123456789abcdef0123456789abcdef")))
        .isInstanceOf(InvalidParameterException.class);
  }
}
