package dev.berth.server.it;

import static dev.berth.server.it.AgentCalls.integer;
import static dev.berth.server.it.AgentCalls.ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/** Placement strategies and constraints through the AWS SDK for Java v2 against a real server. */
class PlacementApiTest {
  private static TestServer berth;
  private static EcsClient ecs;
  private static final Map<String, String> ZONE_OF = new HashMap<>();

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
    ecs.createCluster(r -> r.clusterName("placement"));
    for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
      for (int i = 0; i < 2; i++) {
        List<Attribute> attributes = new ArrayList<>(AgentCalls.attributes());
        attributes.add(Attribute.builder().name("ecs.availability-zone").value(zone).build());
        attributes.add(Attribute.builder().name("tier").value(i == 0 ? "gold" : "silver").build());
        String arn =
            ecs.registerContainerInstance(
                    r ->
                        r.cluster("placement")
                            .totalResources(
                                integer("CPU", 4096),
                                integer("MEMORY", 8192),
                                ports("PORTS", "22"),
                                ports("PORTS_UDP"))
                            .attributes(attributes))
                .containerInstance()
                .containerInstanceArn();
        berth.setAgentConnected(arn, true);
        ZONE_OF.put(arn, zone);
      }
    }
    ecs.registerTaskDefinition(
        r ->
            r.family("app")
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("app")
                        .image("busybox:latest")
                        .cpu(64)
                        .memory(64)
                        .build()));
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  @Test
  void spreadAcrossZonesBalancesOneRunTask() {
    RunTaskResponse response =
        ecs.runTask(
            r ->
                r.cluster("placement")
                    .taskDefinition("app")
                    .group("spread-zones")
                    .count(6)
                    .placementStrategy(
                        s ->
                            s.type(PlacementStrategyType.SPREAD)
                                .field("attribute:ecs.availability-zone")));

    Map<String, Integer> perZone = new HashMap<>();
    for (Task task : response.tasks()) {
      perZone.merge(ZONE_OF.get(task.containerInstanceArn()), 1, Integer::sum);
    }
    assertThat(perZone)
        .containsOnly(
            Map.entry("us-east-1a", 2), Map.entry("us-east-1b", 2), Map.entry("us-east-1c", 2));
  }

  @Test
  void memberOfAndDistinctInstanceBindAndReportTheirFailures() {
    RunTaskResponse response =
        ecs.runTask(
            r ->
                r.cluster("placement")
                    .taskDefinition("app")
                    .group("gold-only")
                    .count(4)
                    .placementConstraints(
                        c ->
                            c.type(PlacementConstraintType.MEMBER_OF)
                                .expression("attribute:tier == gold"),
                        c -> c.type(PlacementConstraintType.DISTINCT_INSTANCE)));

    assertThat(response.tasks()).hasSize(3);
    assertThat(response.tasks().stream().map(Task::containerInstanceArn).distinct()).hasSize(3);
    assertThat(response.failures())
        .extracting(f -> f.reason())
        .containsOnly(
            "MemberOf placement constraint unsatisfied.",
            "DistinctInstance placement constraint unsatisfied.");
  }

  @Test
  void invalidStrategiesAndExpressionsAreInvalidParameterExceptions() {
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    r ->
                        r.cluster("placement")
                            .taskDefinition("app")
                            .placementStrategy(
                                s -> s.type(PlacementStrategyType.BINPACK).field("instanceId"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    r ->
                        r.cluster("placement")
                            .taskDefinition("app")
                            .placementConstraints(
                                c ->
                                    c.type(PlacementConstraintType.MEMBER_OF)
                                        .expression("tier ==="))))
        .isInstanceOf(InvalidParameterException.class);
  }
}
