package dev.berth.server.scheduler;

import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The instances that take tasks ordered for binpack on one resource: grouped by how much of it they
 * have left, and within a group by how much of the other resource (cpu or memory) they have left. A
 * walk from the demand up skips a whole group whose best instance lacks the other resource, so
 * instances full on CPU do not slow a binpack on memory.
 */
final class RemainingOrder {
  private final boolean cpu;
  private final TreeMap<Integer, TreeSet<InstanceSlot>> byRemaining = new TreeMap<>();
  private final Comparator<InstanceSlot> byOther;

  /** Creates the order for binpack on cpu (true) or memory (false). */
  RemainingOrder(boolean cpu) {
    this.cpu = cpu;
    Comparator<InstanceSlot> other =
        cpu
            ? Comparator.comparingInt(slot -> slot.remainingMemory)
            : Comparator.comparingInt(slot -> slot.remainingCpu);
    this.byOther = other.thenComparingInt(slot -> slot.id);
  }

  void add(InstanceSlot slot) {
    byRemaining.computeIfAbsent(own(slot), key -> new TreeSet<>(byOther)).add(slot);
  }

  void remove(InstanceSlot slot) {
    TreeSet<InstanceSlot> group = byRemaining.get(own(slot));
    if (group != null && group.remove(slot) && group.isEmpty()) {
      byRemaining.remove(own(slot));
    }
  }

  /** Returns the groups with at least {@code own} left, least first. */
  Iterable<Map.Entry<Integer, TreeSet<InstanceSlot>>> from(int own) {
    return byRemaining.tailMap(own, true).entrySet();
  }

  /** Returns the instances of a group with at least {@code other} of the other resource left. */
  NavigableSet<InstanceSlot> withOther(TreeSet<InstanceSlot> group, int other) {
    if (other(group.last()) < other) {
      return java.util.Collections.emptyNavigableSet();
    }
    InstanceSlot probe = cpu ? new InstanceSlot(0, other) : new InstanceSlot(other, 0);
    return group.tailSet(probe, true);
  }

  private int own(InstanceSlot slot) {
    return cpu ? slot.remainingCpu : slot.remainingMemory;
  }

  private int other(InstanceSlot slot) {
    return cpu ? slot.remainingMemory : slot.remainingCpu;
  }
}
