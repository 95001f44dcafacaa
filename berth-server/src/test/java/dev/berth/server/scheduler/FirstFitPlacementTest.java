package dev.berth.server.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.state.ContainerInstance;
import dev.berth.server.state.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** First-fit placement: which instance each task gets, and why instances are refused. */
class FirstFitPlacementTest {
  private final TaskPlacement placement = new FirstFitPlacement();

  private static Resources cpuMemory(int cpu, int memory) {
    return new Resources(cpu, memory, List.of(), List.of());
  }

  private static Candidate instance(String arn, Resources registered, Resources reserved) {
    return new Candidate(arn, ContainerInstance.ACTIVE, true, registered, reserved, List.of());
  }

  private static PlacementRequest request(Resources demand, int count) {
    return new PlacementRequest(demand, count, null, null);
  }

  @Test
  void eachTaskGoesToTheFirstInstanceWithRoomLeft() {
    Candidate small = instance("a", cpuMemory(512, 512), Resources.NONE);
    Candidate large = instance("b", cpuMemory(4096, 4096), Resources.NONE);

    Placement placed = placement.place(request(cpuMemory(256, 256), 4), List.of(small, large));

    assertThat(placed.chosen()).containsExactly("a", "a", "b", "b");
    assertThat(placed.failures()).isEmpty();
  }

  @Test
  void tasksBeyondTheCapacityFailWithoutOverbooking() {
    Candidate only = instance("a", cpuMemory(1024, 8192), cpuMemory(256, 0));

    Placement placed = placement.place(request(cpuMemory(256, 128), 10), List.of(only));

    assertThat(placed.chosen()).containsExactly("a", "a", "a");
    assertThat(placed.failures()).containsExactly(new Placement.Failure("a", ResourceFit.CPU));
  }

  @Test
  void insufficientMemoryIsResourceMemory() {
    Candidate only = instance("a", cpuMemory(4096, 1024), cpuMemory(0, 900));

    Placement placed = placement.place(request(cpuMemory(0, 256), 1), List.of(only));

    assertThat(placed.chosen()).isEmpty();
    assertThat(placed.failures()).containsExactly(new Placement.Failure("a", ResourceFit.MEMORY));
  }

  @Test
  void aHostPortTakenByATaskOrTheHostIsResourcePorts() {
    Resources registered = new Resources(4096, 4096, List.of(22), List.of(53));
    Candidate busy = instance("a", registered, new Resources(0, 0, List.of(8080), List.of()));
    Candidate free = instance("b", registered, Resources.NONE);

    Placement web =
        placement.place(
            request(new Resources(0, 64, List.of(8080), List.of()), 2), List.of(busy, free));
    Placement ssh =
        placement.place(request(new Resources(0, 64, List.of(22), List.of()), 1), List.of(free));
    Placement dns =
        placement.place(request(new Resources(0, 64, List.of(), List.of(53)), 1), List.of(free));

    assertThat(web.chosen()).containsExactly("b");
    assertThat(web.failures())
        .containsExactly(
            new Placement.Failure("a", ResourceFit.PORTS),
            new Placement.Failure("b", ResourceFit.PORTS));
    assertThat(ssh.failures()).containsExactly(new Placement.Failure("b", ResourceFit.PORTS));
    assertThat(dns.failures()).containsExactly(new Placement.Failure("b", ResourceFit.PORTS_UDP));
  }

  @Test
  void instancesWithoutAConnectedAgentAreRefusedAsAgent() {
    Candidate disconnected =
        new Candidate(
            "a", ContainerInstance.ACTIVE, false, cpuMemory(4096, 4096), Resources.NONE, List.of());
    Candidate connected = instance("b", cpuMemory(4096, 4096), Resources.NONE);

    Placement placed =
        placement.place(request(cpuMemory(128, 128), 1), List.of(disconnected, connected));
    Placement refused = placement.place(request(cpuMemory(128, 128), 1), List.of(disconnected));

    assertThat(placed.chosen()).containsExactly("b");
    assertThat(placed.failures()).isEmpty();
    assertThat(refused.failures()).containsExactly(new Placement.Failure("a", ResourceFit.AGENT));
  }

  @Test
  void drainingInstancesGetNoNewTasks() {
    Candidate draining =
        new Candidate(
            "a",
            ContainerInstance.DRAINING,
            true,
            cpuMemory(4096, 4096),
            Resources.NONE,
            List.of());
    Candidate active = instance("b", cpuMemory(4096, 4096), Resources.NONE);

    Placement placed = placement.place(request(cpuMemory(128, 128), 2), List.of(draining, active));

    assertThat(placed.chosen()).containsExactly("b", "b");
  }

  @Test
  void shortfallChecksCpuThenMemoryThenPorts() {
    Resources demand = new Resources(512, 512, List.of(80), List.of(53));
    Resources registered = new Resources(256, 256, List.of(80), List.of(53));

    assertThat(ResourceFit.shortfall(demand, registered, Resources.NONE))
        .isEqualTo(ResourceFit.CPU);
    assertThat(ResourceFit.shortfall(demand, cpuMemory(512, 256), Resources.NONE))
        .isEqualTo(ResourceFit.MEMORY);
    assertThat(ResourceFit.shortfall(demand, cpuMemory(512, 512), Resources.NONE)).isNull();
  }
}
