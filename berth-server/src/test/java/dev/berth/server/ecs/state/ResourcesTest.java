package dev.berth.server.ecs.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How resources keep their ports and add up. */
class ResourcesTest {
  @Test
  void portsAreKeptSortedAndDistinctInWhateverOrderTheyCome() {
    Resources resources =
        new Resources(0, 0, new ArrayList<>(List.of(8080, 22, 8080, 443)), List.of(53, 53));

    assertThat(resources.tcpPorts()).containsExactly(22, 443, 8080);
    assertThat(resources.udpPorts()).containsExactly(53);
  }

  @Test
  void portsAlreadySortedAreCopiedSoTheCallerCannotChangeThem() {
    List<Integer> ports = new ArrayList<>(List.of(22, 80));
    Resources resources = new Resources(0, 0, ports, List.of());

    ports.add(1);

    assertThat(resources.tcpPorts()).containsExactly(22, 80);
  }

  @Test
  void aNullPortIsRefused() {
    assertThatNullPointerException()
        .isThrownBy(() -> new Resources(0, 0, Arrays.asList(22, null), List.of()));
    assertThatNullPointerException()
        .isThrownBy(() -> new Resources(0, 0, Arrays.asList((Integer) null), List.of()));
  }

  @Test
  void plusAddsCpuAndMemoryAndUnitesPorts() {
    Resources instance = new Resources(1024, 2048, List.of(22, 2375), List.of());
    Resources task = new Resources(128, 256, List.of(8080, 22), List.of(53));

    assertThat(instance.plus(task))
        .isEqualTo(new Resources(1152, 2304, List.of(22, 2375, 8080), List.of(53)));
    assertThat(Resources.NONE.plus(task)).isEqualTo(task);
    assertThat(task.plus(Resources.NONE)).isEqualTo(task);
  }
}
