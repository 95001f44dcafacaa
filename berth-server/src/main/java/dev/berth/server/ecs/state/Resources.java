package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.TreeSet;

/**
 * CPU units, MiB of memory and host ports (TCP and UDP): what a container instance registers, and
 * what a task reserves on the instance it is placed on. Port lists are kept sorted and distinct.
 */
public record Resources(int cpu, int memory, List<Integer> tcpPorts, List<Integer> udpPorts) {
  /** No resources at all. */
  public static final Resources NONE = new Resources(0, 0, List.of(), List.of());

  /** Creates resources; the port lists are sorted and made distinct. */
  public Resources {
    tcpPorts = sortedDistinct(tcpPorts);
    udpPorts = sortedDistinct(udpPorts);
  }

  /** Returns these resources and the others together: CPU and memory added, ports united. */
  public Resources plus(Resources other) {
    return new Resources(
        cpu + other.cpu,
        memory + other.memory,
        union(tcpPorts, other.tcpPorts),
        union(udpPorts, other.udpPorts));
  }

  private static List<Integer> union(List<Integer> a, List<Integer> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    TreeSet<Integer> all = new TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /**
   * Returns the ports sorted and distinct; lists that already are (every list this class made
   * itself, and most tasks' empty ones) skip the tree set, which placement would otherwise build on
   * every sum of reservations.
   */
  private static List<Integer> sortedDistinct(List<Integer> ports) {
    requireNonNull(ports);
    Integer previous = null;
    for (Integer port : ports) {
      if (previous != null && port <= previous) {
        return List.copyOf(new TreeSet<>(ports));
      }
      previous = requireNonNull(port);
    }
    return List.copyOf(ports);
  }
}
