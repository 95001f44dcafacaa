package dev.berth.server.state;

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
    tcpPorts = List.copyOf(new TreeSet<>(requireNonNull(tcpPorts)));
    udpPorts = List.copyOf(new TreeSet<>(requireNonNull(udpPorts)));
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
    TreeSet<Integer> all = new TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
