package dev.berth.server.it;

import static dev.berth.server.it.AgentCalls.integer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;

/** ListContainerInstances with a cluster query language filter, through the AWS SDK. */
class ListContainerInstancesFilterTest {
  private static final String CLUSTER = "filtered";

  private static TestServer berth;
  private static EcsClient ecs;
  private static String smallInA;
  private static String mediumInB;
  private static String gpuInB;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
    ecs.createCluster(r -> r.clusterName(CLUSTER));
    smallInA = register("i-0000000000000000a", "t2.small", "us-east-1a");
    mediumInB = register("i-0000000000000000b", "t2.medium", "us-east-1b");
    gpuInB = register("i-0000000000000000c", "g2.2xlarge", "us-east-1b");
    berth.setAgentConnected(smallInA, true);
    ecs.updateContainerInstancesState(
        r -> r.cluster(CLUSTER).containerInstances(gpuInB).status("DRAINING"));
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  private static String register(String ec2InstanceId, String type, String zone) {
    return ecs.registerContainerInstance(
            r ->
                r.cluster(CLUSTER)
                    .instanceIdentityDocument("{\"instanceId\":\"" + ec2InstanceId + "\"}")
                    .totalResources(integer("CPU", 1024), integer("MEMORY", 2048))
                    .versionInfo(v -> v.agentVersion("1.14.4"))
                    .attributes(
                        Attribute.builder().name("ecs.instance-type").value(type).build(),
                        Attribute.builder().name("ecs.availability-zone").value(zone).build()))
        .containerInstance()
        .containerInstanceArn();
  }

  private static List<String> list(String filter) {
    return ecs.listContainerInstances(r -> r.cluster(CLUSTER).filter(filter))
        .containerInstanceArns();
  }

  @Test
  void filterSelectsByAttribute() {
    assertThat(list("attribute:ecs.availability-zone == us-east-1b"))
        .containsExactlyInAnyOrder(mediumInB, gpuInB);
    assertThat(list("attribute:ecs.instance-type =~ t2.*"))
        .containsExactlyInAnyOrder(smallInA, mediumInB);
  }

  @Test
  void filterSeesAgentConnectionInstanceIdVersionAndTasks() {
    assertThat(list("agentConnected == true")).containsExactly(smallInA);
    assertThat(list("agentConnected == false")).containsExactlyInAnyOrder(mediumInB, gpuInB);
    assertThat(list("ec2InstanceId in ['i-0000000000000000b', 'i-0000000000000000c']"))
        .containsExactlyInAnyOrder(mediumInB, gpuInB);
    assertThat(list("agentVersion < 1.14.5 and runningTasksCount == 0"))
        .containsExactlyInAnyOrder(smallInA, mediumInB, gpuInB);
    assertThat(list("registeredAt < 2018-02-13")).isEmpty();
    assertThat(list("not(task:group == database)"))
        .containsExactlyInAnyOrder(smallInA, mediumInB, gpuInB);
  }

  @Test
  void filterCombinesWithStatus() {
    assertThat(
            ecs.listContainerInstances(
                    r ->
                        r.cluster(CLUSTER)
                            .status(ContainerInstanceStatus.DRAINING)
                            .filter("attribute:ecs.availability-zone == us-east-1b"))
                .containerInstanceArns())
        .containsExactly(gpuInB);
    assertThat(
            ecs.listContainerInstances(
                    r ->
                        r.cluster(CLUSTER)
                            .status(ContainerInstanceStatus.ACTIVE)
                            .filter("attribute:ecs.availability-zone == us-east-1b"))
                .containerInstanceArns())
        .containsExactly(mediumInB);
  }

  @Test
  void filteredListingPages() {
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      ListContainerInstancesRequest request =
          ListContainerInstancesRequest.builder()
              .cluster(CLUSTER)
              .filter("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]")
              .maxResults(1)
              .nextToken(token)
              .build();
      var page = ecs.listContainerInstances(request);
      assertThat(page.containerInstanceArns()).hasSizeLessThanOrEqualTo(1);
      seen.addAll(page.containerInstanceArns());
      token = page.nextToken();
    } while (token != null);

    assertThat(seen).containsExactlyInAnyOrder(smallInA, mediumInB, gpuInB).isSorted();
  }

  @Test
  void filterThatDoesNotParseIsAnInvalidParameterNamingThePosition() {
    assertThatThrownBy(() -> list("attribute:ecs.instance-type ~= t2.*"))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("position 28")
        .hasMessageContaining("expected an operator");
  }
}
