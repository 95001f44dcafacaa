package dev.berth.server.scheduler;

import static dev.berth.server.scheduler.Fleet.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ECS's placement examples: strategies, constraints, required attributes and failure reasons. */
class ChainedPlacementTest {
  private final Fleet fleet = new Fleet();
  private final TaskPlacement placement = new ChainedPlacement(new SplittableRandom(7));
  private int probes;

  private static Resources cpuMemory(int cpu, int memory) {
    return new Resources(cpu, memory, List.of(), List.of());
  }

  private static PlacementStrategy binpack(String field) {
    return PlacementStrategy.of("binpack", field);
  }

  private static PlacementStrategy spread(String field) {
    return PlacementStrategy.of("spread", field);
  }

  private static PlacementConstraint memberOf(String expression) {
    return PlacementConstraint.of("memberOf", expression);
  }

  private Placement place(
      Resources demand,
      int count,
      List<PlacementConstraint> constraints,
      PlacementStrategy... strategies) {
    return placement.place(
        new PlacementRequest(
            demand, count, "family:web", constraints, List.of(strategies), List.of()),
        fleet.index);
  }

  @Test
  void binpackOnMemoryChoosesTheInstanceWithTheLeastMemoryLeftThatStillFits() {
    fleet.instance("roomy", 4096, 8192);
    fleet.instance("snug", 4096, 1024);
    fleet.instance("tooSmall", 4096, 256);

    Placement placed = place(cpuMemory(128, 512), 1, List.of(), binpack("memory"));

    assertThat(ids(placed)).containsExactly("snug");
  }

  @Test
  void binpackFillsOneInstanceBeforeStartingTheNext() {
    fleet.instance("a", 1024, 4096);
    fleet.instance("b", 1024, 4096);

    Placement placed = place(cpuMemory(512, 128), 4, List.of(), binpack("cpu"));

    assertThat(ids(placed)).hasSize(4);
    assertThat(ids(placed).subList(0, 2)).containsOnly(ids(placed).get(0));
    assertThat(ids(placed).subList(2, 4)).doesNotContain(ids(placed).get(0));
  }

  @Test
  void spreadOnAvailabilityZoneBalancesTheTasksOfOneRunTask() {
    for (String zone : List.of("a", "b", "c")) {
      for (int i = 0; i < 3; i++) {
        fleet.instance(zone + i, 4096, 4096, "ecs.availability-zone=us-east-1" + zone);
      }
    }

    Placement placed =
        place(cpuMemory(128, 128), 6, List.of(), spread("attribute:ecs.availability-zone"));

    Map<Character, Integer> perZone = new HashMap<>();
    ids(placed).forEach(id -> perZone.merge(id.charAt(0), 1, Integer::sum));
    assertThat(perZone).containsOnly(Map.entry('a', 2), Map.entry('b', 2), Map.entry('c', 2));
  }

  @Test
  void spreadOnAnAttributeSomeInstancesLackCountsThemAsOneMoreValue() {
    fleet.instance("a", 4096, 4096, "ecs.availability-zone=zone-a");
    fleet.instance("n", 4096, 4096);

    Placement placed =
        place(cpuMemory(128, 128), 2, List.of(), spread("attribute:ecs.availability-zone"));

    assertThat(ids(placed)).containsExactlyInAnyOrder("a", "n");
  }

  @Test
  void spreadCountsTheTasksOfTheGroupAlreadyPlaced() {
    fleet.instance("a", 4096, 4096, "ecs.availability-zone=zone-a");
    fleet.instance("b", 4096, 4096, "ecs.availability-zone=zone-b");
    fleet.holds("a", "family:web", 2, cpuMemory(128, 128));
    fleet.holds("b", "family:other", 5, cpuMemory(128, 128));

    Placement placed =
        place(cpuMemory(128, 128), 3, List.of(), spread("attribute:ecs.availability-zone"));

    assertThat(ids(placed)).hasSize(3);
    assertThat(ids(placed).subList(0, 2)).containsExactly("b", "b");
  }

  @Test
  void spreadOnHostPutsEachTaskOnItsOwnInstanceWhileItCan() {
    fleet.instance("a", 4096, 4096);
    fleet.instance("b", 4096, 4096);
    fleet.instance("c", 4096, 4096);

    Placement placed = place(cpuMemory(128, 128), 3, List.of(), spread("host"));

    assertThat(ids(placed)).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void spreadOnZoneThenHostTakesTheLeastLoadedInstanceOfTheLeastLoadedZoneThatFits() {
    fleet.instance("a-busy", 4096, 4096, "ecs.availability-zone=zone-a");
    fleet.instance("a-full", 128, 4096, "ecs.availability-zone=zone-a");
    fleet.instance("a-idle", 4096, 4096, "ecs.availability-zone=zone-a");
    fleet.instance("b-one", 4096, 4096, "ecs.availability-zone=zone-b");
    fleet.instance("b-two", 4096, 4096, "ecs.availability-zone=zone-b");
    fleet.holds("a-busy", "family:web", 2, cpuMemory(128, 128));
    fleet.holds("a-idle", "family:web", 1, cpuMemory(128, 128));
    fleet.holds("b-one", "family:web", 2, cpuMemory(128, 128));
    fleet.holds("b-two", "family:web", 2, cpuMemory(128, 128));
    fleet.holds("a-full", "family:other", 1, cpuMemory(128, 128));

    // zone-a holds 3, zone-b 4: zone-a first, where a-full has no room and a-idle holds fewest.
    Placement placed =
        place(
            cpuMemory(128, 128),
            4,
            List.of(),
            spread("attribute:ecs.availability-zone"),
            spread("instanceId"));

    assertThat(ids(placed).get(0)).isEqualTo("a-idle");
    // Then 4 and 4, every instance with room holding 2: one more in each zone, either order.
    assertThat(ids(placed).subList(1, 3).stream().filter(id -> id.startsWith("a-")).count())
        .isEqualTo(1);
    assertThat(ids(placed)).hasSize(4).doesNotContain("a-full");
  }

  @Test
  void spreadOnHostKeepsItsCountsAcrossCallsAndReRegistrations() {
    for (int i = 0; i < 20; i++) {
      fleet.instance("i" + i, 4096, 4096);
    }
    Map<String, Integer> perInstance = new HashMap<>();
    for (int call = 0; call < 10; call++) {
      if (call == 5) {
        // Re-reading an instance (as sync does) keeps what it holds counted.
        fleet.index.remove(Fleet.arn("i3"));
        fleet.instance("i3", 4096, 4096);
        fleet.holds("i3", "family:web", perInstance.getOrDefault("i3", 0), cpuMemory(128, 128));
      }
      Placement placed = place(cpuMemory(128, 128), 10, List.of(), spread("host"));
      ids(placed).forEach(id -> perInstance.merge(id, 1, Integer::sum));
    }

    assertThat(perInstance).hasSize(20);
    assertThat(perInstance.values()).containsOnly(5);
  }

  @Test
  void chainedStrategiesSpreadAcrossZonesThenBinpackMemoryWithinEach() {
    fleet.instance("a-roomy", 4096, 8192, "ecs.availability-zone=zone-a");
    fleet.instance("a-snug", 4096, 2048, "ecs.availability-zone=zone-a");
    fleet.instance("b-roomy", 4096, 8192, "ecs.availability-zone=zone-b");
    fleet.instance("b-snug", 4096, 1024, "ecs.availability-zone=zone-b");

    Placement placed =
        place(
            cpuMemory(128, 512),
            2,
            List.of(),
            spread("attribute:ecs.availability-zone"),
            binpack("memory"));

    assertThat(ids(placed)).containsExactlyInAnyOrder("a-snug", "b-snug");
  }

  @Test
  void randomPlacesOnlyWhereTheTaskFits() {
    fleet.instance("full", 128, 4096);
    fleet.instance("room", 4096, 4096);

    Placement placed =
        place(cpuMemory(256, 128), 5, List.of(), PlacementStrategy.of("random", null));

    assertThat(ids(placed)).containsOnly("room").hasSize(5);
  }

  @Test
  void distinctInstanceRefusesASecondTaskOfTheGroupOnAnInstance() {
    fleet.instance("a", 4096, 4096);
    fleet.instance("b", 4096, 4096);
    fleet.instance("c", 4096, 4096);
    fleet.holds("c", "family:web", 1, cpuMemory(128, 128));

    Placement placed =
        place(
            cpuMemory(128, 128),
            3,
            List.of(PlacementConstraint.of("distinctInstance", null)),
            binpack("cpu"));

    assertThat(ids(placed)).containsExactlyInAnyOrder("a", "b");
    assertThat(placed.failures())
        .extracting(Placement.Failure::reason)
        .containsOnly(PlacementConstraint.DISTINCT_INSTANCE_REASON)
        .hasSize(3);
  }

  @Test
  void memberOfPlacesOnlyOnTheInstancesTheExpressionMatches() {
    fleet.instance("small", 4096, 4096, "ecs.instance-type=t2.small", "cores=2");
    fleet.instance("medium", 4096, 4096, "ecs.instance-type=t2.medium", "cores=4", "gpu");
    fleet.instance("large", 4096, 4096, "ecs.instance-type=m5.large", "cores=8");

    assertThat(only("attribute:ecs.instance-type == t2.small")).containsOnly("small");
    assertThat(only("attribute:ecs.instance-type != t2.small")).containsOnly("medium", "large");
    assertThat(only("attribute:ecs.instance-type in [t2.small, m5.large]"))
        .containsOnly("small", "large");
    assertThat(only("attribute:ecs.instance-type !in [t2.small, m5.large]")).containsOnly("medium");
    assertThat(only("attribute:ecs.instance-type =~ t2.*")).containsOnly("small", "medium");
    assertThat(only("attribute:ecs.instance-type !~ t2.*")).containsOnly("large");
    assertThat(only("attribute:cores > 4")).containsOnly("large");
    assertThat(only("attribute:cores >= 4")).containsOnly("medium", "large");
    assertThat(only("attribute:cores < 4")).containsOnly("small");
    assertThat(only("attribute:cores <= 4")).containsOnly("small", "medium");
    assertThat(only("attribute:gpu exists")).containsOnly("medium");
    assertThat(only("attribute:gpu !exists")).containsOnly("small", "large");
    assertThat(only("ec2InstanceId in [i-small, i-large] and not attribute:cores == 8"))
        .containsOnly("small");
    assertThat(only("attribute:cores == 2 or (attribute:gpu exists and agentConnected == true)"))
        .containsOnly("small", "medium");
  }

  @Test
  void memberOfSeesTheTaskGroupsOnEachInstance() {
    fleet.instance("a", 4096, 4096);
    fleet.instance("b", 4096, 4096);
    fleet.holds("a", "database", 1, cpuMemory(128, 128));

    assertThat(only("task:group == database")).containsOnly("a");
    assertThat(only("not(task:group == database)")).containsOnly("b");
  }

  @Test
  void anInstanceTheExpressionExcludesIsAMemberOfFailure() {
    fleet.instance("a", 4096, 4096, "ecs.instance-type=t2.small");

    Placement placed =
        place(
            cpuMemory(128, 128),
            1,
            List.of(memberOf("attribute:ecs.instance-type == m5.large")),
            binpack("cpu"));

    assertThat(placed.chosen()).isEmpty();
    assertThat(placed.failures())
        .containsExactly(
            new Placement.Failure(Fleet.arn("a"), "MemberOf placement constraint unsatisfied."));
  }

  @Test
  void requiredAttributesKeepTasksOffInstancesWithoutThem() {
    fleet.instance("old", 4096, 4096);
    fleet.instance("new", 4096, 4096, "ecs.capability.container-health-check");

    Placement placed =
        placement.place(
            new PlacementRequest(
                cpuMemory(128, 128),
                2,
                "family:web",
                List.of(),
                List.of(),
                List.of(new Attribute("ecs.capability.container-health-check", null))),
            fleet.index);

    assertThat(ids(placed)).containsExactly("new", "new");

    Placement none =
        placement.place(
            new PlacementRequest(
                cpuMemory(128, 128),
                1,
                "family:web",
                List.of(),
                List.of(),
                List.of(new Attribute("com.amazonaws.ecs.capability.task-iam-role", null))),
            fleet.index);
    assertThat(none.failures()).extracting(Placement.Failure::reason).containsOnly("ATTRIBUTE");
  }

  @Test
  void failuresGiveEcsReasonsAndDrainingInstancesAreNotCandidates() {
    fleet.instance("noAgent", ContainerInstance.ACTIVE, false, 4096, 4096);
    fleet.instance("noCpu", 64, 4096);
    fleet.instance("noMemory", 4096, 64);
    fleet.instance("draining", ContainerInstance.DRAINING, true, 4096, 4096);

    Placement placed = place(cpuMemory(128, 128), 1, List.of(), binpack("memory"));

    assertThat(placed.chosen()).isEmpty();
    assertThat(placed.failures())
        .containsExactly(
            new Placement.Failure(Fleet.arn("noAgent"), "AGENT"),
            new Placement.Failure(Fleet.arn("noCpu"), "RESOURCE:CPU"),
            new Placement.Failure(Fleet.arn("noMemory"), "RESOURCE:MEMORY"));
  }

  @Test
  void hostPortsTakenAreResourcePortsAndResourcePortsUdp() {
    fleet.instance("a", 4096, 4096);

    Placement tcp =
        place(new Resources(1, 1, List.of(22), List.of()), 1, List.of(), binpack("cpu"));
    Placement twice =
        place(new Resources(1, 1, List.of(8080), List.of(53)), 2, List.of(), binpack("cpu"));

    assertThat(tcp.failures()).extracting(Placement.Failure::reason).containsOnly("RESOURCE:PORTS");
    assertThat(ids(twice)).containsExactly("a");
    assertThat(twice.failures())
        .extracting(Placement.Failure::reason)
        .containsOnly("RESOURCE:PORTS");
    Placement udp =
        place(new Resources(1, 1, List.of(), List.of(53)), 1, List.of(), binpack("cpu"));
    assertThat(udp.failures())
        .extracting(Placement.Failure::reason)
        .containsOnly("RESOURCE:PORTS_UDP");
  }

  @Test
  void withoutAStrategyRunTaskPlacesAtRandomAmongTheInstancesThatFit() {
    for (int i = 0; i < 10; i++) {
      fleet.instance("i" + i, 4096, 4096);
    }

    Placement placed = place(cpuMemory(128, 128), 10, List.of());

    assertThat(ids(placed)).hasSize(10);
    assertThat(ids(placed).stream().distinct().count()).isGreaterThan(1);
  }

  /** Returns the instances one task each of a fresh group lands on, memberOf the expression. */
  private List<String> only(String expression) {
    Placement placed =
        placement.place(
            new PlacementRequest(
                cpuMemory(1, 1),
                3,
                "probe-" + probes++,
                List.of(memberOf(expression), PlacementConstraint.of("distinctInstance", null)),
                List.of(spread("instanceId")),
                List.of()),
            fleet.index);
    return ids(placed);
  }
}
