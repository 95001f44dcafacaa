package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The container instances of one cluster as placement needs them, kept between calls: every
 * instance by ARN, the ones that take tasks in a list (for random) and ordered by remaining CPU and
 * by remaining memory (for binpack), the instances of each attribute value (for spread on an
 * attribute) and the instances holding tasks of each group (for spread and distinctInstance).
 * Placement updates it as it places; {@link #sync} brings it up to date with the cluster's state,
 * re-reading only the instances whose record, agent connection or task set changed. Used only by
 * the cluster's writer.
 *
 * <p>Over 400 lines on purpose: its orderings, attribute and group maps must change together on
 * every placement and sync, and split apart each would have to reach into the others' invariants.
 */
public final class PlacementIndex {

  private final Map<String, InstanceSlot> byArn = new HashMap<>();
  private final List<InstanceSlot> eligible = new ArrayList<>();
  private final RemainingOrder byCpu = new RemainingOrder(true);
  private final RemainingOrder byMemory = new RemainingOrder(false);
  private final Map<String, Map<String, List<InstanceSlot>>> byAttributeValue = new HashMap<>();
  private final Map<String, Set<InstanceSlot>> byGroup = new HashMap<>();
  // attribute -> group -> attribute value -> tasks of the group on instances with that value
  private final Map<String, Map<String, Map<String, Integer>>> groupCountsByValue = new HashMap<>();
  // attribute -> group -> attribute value -> tasks of the group an instance holds -> how many
  // instances that take tasks hold that many (only counts above zero), for spread
  private final Map<String, Map<String, Map<String, TreeMap<Integer, Integer>>>> loads =
      new HashMap<>();
  private ToIntFunction<String> runningTasks = arn -> 0;
  private int nextId;
  private int active;
  private long epoch;
  // The cluster last synced with, the instances it reported changed since, and the instances
  // placement changed here since (re-read at the next sync whether the call was committed or not).
  private ClusterState synced;
  private Set<String> changes;
  private final Set<String> touched = new HashSet<>();

  /** Creates an empty index. */
  public PlacementIndex() {}

  /**
   * Brings the index up to date with the cluster: instances added, changed or gone, agents
   * connected or not, task sets changed. The first sync with a cluster reads every instance; later
   * ones read only the instances the cluster reported changed since and those placement changed
   * here, so a sync costs what changed, not the size of the cluster.
   */
  public void sync(ClusterState cluster) {
    runningTasks = arn -> running(cluster.tasks().activeOn(arn));
    if (synced != cluster) {
      // Track before reading, so that no change made while the instances are read is missed.
      changes = cluster.trackInstanceChanges();
      synced = cluster;
      touched.clear();
      syncAll(cluster);
      return;
    }
    for (String arn : touched) {
      refresh(cluster, arn);
    }
    touched.clear();
    for (Iterator<String> it = changes.iterator(); it.hasNext(); ) {
      String arn = it.next();
      // Removed before it is read: a change made meanwhile adds it again for the next sync.
      it.remove();
      refresh(cluster, arn);
    }
  }

  private void syncAll(ClusterState cluster) {
    long now = ++epoch;
    for (ContainerInstance instance : cluster.instances().all()) {
      if (!instance.registered()) {
        continue;
      }
      refresh(cluster, instance).seenAt = now;
    }
    if (byArn.size() > 0) {
      List<String> gone = new ArrayList<>();
      for (InstanceSlot slot : byArn.values()) {
        if (slot.seenAt != now) {
          gone.add(slot.arn);
        }
      }
      gone.forEach(this::remove);
    }
  }

  private void refresh(ClusterState cluster, String arn) {
    ContainerInstance instance = cluster.instances().get(arn);
    if (instance == null || !instance.registered()) {
      remove(arn);
    } else {
      refresh(cluster, instance);
    }
  }

  /** Re-reads a registered instance if its record, connection or reservation changed. */
  private InstanceSlot refresh(ClusterState cluster, ContainerInstance instance) {
    boolean connected = cluster.instances().agentConnected(instance.arn());
    Resources reserved = cluster.tasks().reservedOn(instance.arn());
    InstanceSlot slot = byArn.get(instance.arn());
    if (slot != null && slot.instance != instance && slot.instance.sameButVersion(instance)) {
      // Only its version moved, as it does with every task placed or stopped there.
      slot.instance = instance;
    }
    if (slot != null && slot.instance == instance && slot.connected == connected) {
      if (slot.syncedReserved == reserved) {
        return slot;
      }
      // Placed here since the last read: the cluster holds what placement recorded when the call's
      // tasks were committed. Every task reserves memory, so a call whose tasks were not recorded
      // leaves the cluster's sum, and its count of tasks, short of the slot's.
      if (slot.syncedReserved == null
          && slot.reserved.equals(reserved)
          && slot.taskCount() == cluster.tasks().activeCountOn(instance.arn())) {
        slot.syncedReserved = reserved;
        return slot;
      }
    }
    return put(instance, connected, reserved, cluster.tasks().activeOn(instance.arn()));
  }

  /**
   * Records an instance as it is now, with its agent connection, what its tasks reserve and those
   * tasks (not STOPPED); returns its slot.
   */
  InstanceSlot put(
      ContainerInstance instance, boolean connected, Resources reserved, List<Task> active) {
    InstanceSlot slot = byArn.get(instance.arn());
    if (slot == null) {
      slot = new InstanceSlot(nextId++, instance, this);
      byArn.put(slot.arn, slot);
    } else {
      unlink(slot);
    }
    slot.instance = instance;
    slot.connected = connected;
    slot.readAttributes(instance.attributes());
    slot.reserve(reserved);
    slot.syncedReserved = reserved;
    slot.groups.clear();
    for (Task task : active) {
      slot.groups.merge(task.spec().group(), 1, Integer::sum);
    }
    link(slot);
    return slot;
  }

  /** Forgets an instance. */
  void remove(String arn) {
    InstanceSlot slot = byArn.remove(arn);
    if (slot != null) {
      unlink(slot);
    }
  }

  /**
   * Reserves a task's demand on an instance at once, so the next task of the same call sees it; the
   * slot is re-read from the cluster at the next sync, whether the call's records were committed or
   * not.
   */
  void place(InstanceSlot slot, Resources demand, String group) {
    boolean tracked = slot.eligibleAt >= 0;
    if (tracked) {
      byCpu.remove(slot);
      byMemory.remove(slot);
    }
    slot.reserve(slot.reserved.plus(demand));
    slot.syncedReserved = null;
    touched.add(slot.arn);
    int before = slot.groups.getOrDefault(group, 0);
    if (tracked) {
      load(slot, group, before, -1);
      load(slot, group, before + 1, 1);
    }
    slot.groups.merge(group, 1, Integer::sum);
    byGroup.computeIfAbsent(group, key -> new HashSet<>()).add(slot);
    countByValue(slot, group, 1);
    if (tracked) {
      byCpu.add(slot);
      byMemory.add(slot);
    }
  }

  /**
   * Gives back what a task reserved on an instance, as when it stops; the slot is re-read from the
   * cluster at the next sync.
   */
  void release(InstanceSlot slot, Resources demand, String group) {
    boolean tracked = slot.eligibleAt >= 0;
    if (tracked) {
      byCpu.remove(slot);
      byMemory.remove(slot);
    }
    List<Integer> tcp = new ArrayList<>(slot.reserved.tcpPorts());
    tcp.removeAll(demand.tcpPorts());
    List<Integer> udp = new ArrayList<>(slot.reserved.udpPorts());
    udp.removeAll(demand.udpPorts());
    slot.reserve(
        new Resources(
            slot.reserved.cpu() - demand.cpu(),
            slot.reserved.memory() - demand.memory(),
            tcp,
            udp));
    slot.syncedReserved = null;
    touched.add(slot.arn);
    int before = slot.groups.getOrDefault(group, 0);
    if (tracked) {
      load(slot, group, before, -1);
      load(slot, group, before - 1, 1);
    }
    countByValue(slot, group, -1);
    if (slot.groups.merge(group, -1, Integer::sum) <= 0) {
      slot.groups.remove(group);
      Set<InstanceSlot> holders = byGroup.get(group);
      if (holders != null) {
        holders.remove(slot);
        if (holders.isEmpty()) {
          byGroup.remove(group);
        }
      }
    }
    if (tracked) {
      byCpu.add(slot);
      byMemory.add(slot);
    }
  }

  /** Returns the slot of an instance, or null. */
  InstanceSlot get(String arn) {
    return byArn.get(requireNonNull(arn));
  }

  /** Returns every registered instance (ACTIVE or DRAINING, connected or not). */
  Iterable<InstanceSlot> all() {
    return byArn.values();
  }

  /**
   * The pseudo attribute no instance has: {@link #byAttribute} puts every instance that takes tasks
   * under its null value, so spread on instanceId uses the same buckets as spread on an attribute.
   */
  static final String NO_ATTRIBUTE = "\u0000instanceId";

  /**
   * Returns, for the instances that take tasks with the attribute value given (absent: null), how
   * many hold each count above zero of the group's tasks (not STOPPED); a live view, not to modify.
   */
  Map<Integer, Integer> loads(String attribute, String group, String value) {
    Map<String, Map<String, TreeMap<Integer, Integer>>> byGroupLoads = loads.get(attribute);
    if (byGroupLoads == null) {
      byGroupLoads = new HashMap<>();
      loads.put(attribute, byGroupLoads);
      for (InstanceSlot slot : eligible) {
        for (Map.Entry<String, Integer> entry : slot.groups.entrySet()) {
          addLoad(byGroupLoads, slot.attribute(attribute), entry.getKey(), entry.getValue(), 1);
        }
      }
    }
    Map<String, TreeMap<Integer, Integer>> byValue = byGroupLoads.get(group);
    if (byValue == null) {
      return Map.of();
    }
    TreeMap<Integer, Integer> counts = byValue.get(value);
    return counts == null ? Map.of() : counts;
  }

  /** Counts (delta 1) or uncounts (-1) an instance that takes tasks holding tasks of the group. */
  private void load(InstanceSlot slot, String group, int tasks, int delta) {
    if (tasks <= 0) {
      return;
    }
    for (Map.Entry<String, Map<String, Map<String, TreeMap<Integer, Integer>>>> entry :
        loads.entrySet()) {
      addLoad(entry.getValue(), slot.attribute(entry.getKey()), group, tasks, delta);
    }
  }

  private static void addLoad(
      Map<String, Map<String, TreeMap<Integer, Integer>>> byGroupLoads,
      String value,
      String group,
      int tasks,
      int delta) {
    Map<String, TreeMap<Integer, Integer>> byValue =
        byGroupLoads.computeIfAbsent(group, key -> new HashMap<>());
    TreeMap<Integer, Integer> counts = byValue.computeIfAbsent(value, key -> new TreeMap<>());
    if (counts.merge(tasks, delta, Integer::sum) == 0) {
      counts.remove(tasks);
      if (counts.isEmpty()) {
        byValue.remove(value);
        if (byValue.isEmpty()) {
          byGroupLoads.remove(group);
        }
      }
    }
  }

  /** Returns the instances that take tasks, in no particular order. */
  List<InstanceSlot> eligible() {
    return eligible;
  }

  /** Returns how many registered instances are ACTIVE. */
  public int activeCount() {
    return active;
  }

  /** Returns the instances that take tasks ordered by remaining cpu or memory, then by age. */
  RemainingOrder byRemaining(String field) {
    return field.equals("cpu") ? byCpu : byMemory;
  }

  /** Returns the instances that take tasks, by value of the attribute (absent: null key). */
  Map<String, List<InstanceSlot>> byAttribute(String name) {
    Map<String, List<InstanceSlot>> values = byAttributeValue.get(name);
    if (values == null) {
      values = new HashMap<>();
      byAttributeValue.put(name, values);
      for (InstanceSlot slot : eligible) {
        addToBucket(name, values, slot);
      }
    }
    return values;
  }

  /**
   * Returns how many tasks of the group (not STOPPED) are on instances of each value of the
   * attribute (absent: null key), kept as tasks are placed and released; a live view.
   */
  Map<String, Integer> groupCountsByValue(String attribute, String group) {
    Map<String, Map<String, Integer>> byGroupCounts = groupCountsByValue.get(attribute);
    if (byGroupCounts == null) {
      byGroupCounts = new HashMap<>();
      groupCountsByValue.put(attribute, byGroupCounts);
      for (InstanceSlot slot : byArn.values()) {
        for (Map.Entry<String, Integer> entry : slot.groups.entrySet()) {
          byGroupCounts
              .computeIfAbsent(entry.getKey(), key -> new HashMap<>())
              .merge(slot.attribute(attribute), entry.getValue(), Integer::sum);
        }
      }
    }
    return byGroupCounts.getOrDefault(group, Map.of());
  }

  private void countByValue(InstanceSlot slot, String group, int delta) {
    for (Map.Entry<String, Map<String, Map<String, Integer>>> entry :
        groupCountsByValue.entrySet()) {
      Map<String, Integer> counts = entry.getValue().computeIfAbsent(group, key -> new HashMap<>());
      String value = slot.attribute(entry.getKey());
      if (counts.merge(value, delta, Integer::sum) == 0) {
        counts.remove(value);
      }
      if (counts.isEmpty()) {
        entry.getValue().remove(group);
      }
    }
  }

  /** Returns the instances holding tasks of the group (possibly ones that take no new tasks). */
  Set<InstanceSlot> holdingGroup(String group) {
    return byGroup.getOrDefault(group, Set.of());
  }

  int runningTasks(String arn) {
    return runningTasks.applyAsInt(arn);
  }

  private void link(InstanceSlot slot) {
    if (ContainerInstance.ACTIVE.equals(slot.instance.status())) {
      active++;
    }
    for (Map.Entry<String, Integer> group : slot.groups.entrySet()) {
      byGroup.computeIfAbsent(group.getKey(), key -> new HashSet<>()).add(slot);
      countByValue(slot, group.getKey(), group.getValue());
    }
    if (!slot.takesTasks()) {
      return;
    }
    slot.eligibleAt = eligible.size();
    eligible.add(slot);
    for (Map.Entry<String, Integer> group : slot.groups.entrySet()) {
      load(slot, group.getKey(), group.getValue(), 1);
    }
    byCpu.add(slot);
    byMemory.add(slot);
    for (Map.Entry<String, Map<String, List<InstanceSlot>>> entry : byAttributeValue.entrySet()) {
      addToBucket(entry.getKey(), entry.getValue(), slot);
    }
  }

  private void unlink(InstanceSlot slot) {
    if (ContainerInstance.ACTIVE.equals(slot.instance.status())) {
      active--;
    }
    for (Map.Entry<String, Integer> entry : slot.groups.entrySet()) {
      String group = entry.getKey();
      countByValue(slot, group, -entry.getValue());
      Set<InstanceSlot> holders = byGroup.get(group);
      if (holders != null) {
        holders.remove(slot);
        if (holders.isEmpty()) {
          byGroup.remove(group);
        }
      }
    }
    if (slot.eligibleAt < 0) {
      return;
    }
    for (Map.Entry<String, Integer> group : slot.groups.entrySet()) {
      load(slot, group.getKey(), group.getValue(), -1);
    }
    InstanceSlot last = eligible.remove(eligible.size() - 1);
    if (last != slot) {
      eligible.set(slot.eligibleAt, last);
      last.eligibleAt = slot.eligibleAt;
    }
    slot.eligibleAt = -1;
    byCpu.remove(slot);
    byMemory.remove(slot);
    for (Map.Entry<String, Map<String, List<InstanceSlot>>> entry : byAttributeValue.entrySet()) {
      String value = slot.attribute(entry.getKey());
      List<InstanceSlot> bucket = entry.getValue().get(value);
      Integer at = slot.bucketAt.remove(entry.getKey());
      if (bucket != null && at != null) {
        InstanceSlot moved = bucket.remove(bucket.size() - 1);
        if (moved != slot) {
          bucket.set(at, moved);
          moved.bucketAt.put(entry.getKey(), at);
        }
        if (bucket.isEmpty()) {
          entry.getValue().remove(value);
        }
      }
    }
  }

  private static void addToBucket(
      String name, Map<String, List<InstanceSlot>> values, InstanceSlot slot) {
    List<InstanceSlot> bucket =
        values.computeIfAbsent(slot.attribute(name), k -> new ArrayList<>());
    slot.bucketAt.put(name, bucket.size());
    bucket.add(slot);
  }

  private static int running(List<Task> active) {
    int count = 0;
    for (Task task : active) {
      if (TaskLifecycle.RUNNING.equals(task.lastStatus())) {
        count++;
      }
    }
    return count;
  }
}
