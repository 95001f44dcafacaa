package dev.berth.server.scheduler;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.scheduler.query.InstanceView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One container instance in a {@link PlacementIndex}: what it registered, what its tasks reserve,
 * how many tasks of each group it holds, and its attributes, kept as the index learns of changes.
 * Mutable, and touched only by the cluster's writer.
 */
final class InstanceSlot implements InstanceView {
  final int id;
  final String arn;
  ContainerInstance instance;
  boolean connected;
  Resources reserved = Resources.NONE;
  int remainingCpu;
  int remainingMemory;
  final Map<String, Integer> groups = new HashMap<>();
  Map<String, String> attributes = Map.of();

  /** The reservation the slot was last read from, or null once placement changed it since. */
  Resources syncedReserved;

  /** Position in the index's list of instances that take tasks, or -1. */
  int eligibleAt = -1;

  /** Position in each attribute-value list of the index that holds the slot, by attribute. */
  final Map<String, Integer> bucketAt = new HashMap<>();

  long seenAt;
  private final PlacementIndex index;

  /** Creates a probe that sorts before every slot with at least that much cpu and memory left. */
  InstanceSlot(int remainingCpu, int remainingMemory) {
    this.id = -1;
    this.arn = "";
    this.index = null;
    this.remainingCpu = remainingCpu;
    this.remainingMemory = remainingMemory;
  }

  InstanceSlot(int id, ContainerInstance instance, PlacementIndex index) {
    this.id = id;
    this.arn = instance.arn();
    this.instance = instance;
    this.index = index;
  }

  /** Returns true if the instance takes new tasks: ACTIVE with its agent connected. */
  boolean takesTasks() {
    return connected && ContainerInstance.ACTIVE.equals(instance.status());
  }

  /** Returns the remaining amount of a binpack field, cpu or memory. */
  int remaining(String field) {
    return field.equals("cpu") ? remainingCpu : remainingMemory;
  }

  /** Returns how many tasks the slot holds, of every group. */
  int taskCount() {
    int count = 0;
    for (int tasks : groups.values()) {
      count += tasks;
    }
    return count;
  }

  /** Returns how many tasks of the group the instance holds that are not STOPPED. */
  int groupCount(String group) {
    return groups.getOrDefault(group, 0);
  }

  void readAttributes(List<Attribute> list) {
    Map<String, String> byName = new HashMap<>();
    for (Attribute attribute : list) {
      byName.put(attribute.name(), attribute.value());
    }
    attributes = byName;
  }

  void reserve(Resources total) {
    reserved = total;
    remainingCpu = instance.registeredResources().cpu() - total.cpu();
    remainingMemory = instance.registeredResources().memory() - total.memory();
  }

  @Override
  public String attribute(String name) {
    return attributes.get(name);
  }

  @Override
  public boolean hasAttribute(String name) {
    return attributes.containsKey(name);
  }

  @Override
  public boolean agentConnected() {
    return connected;
  }

  @Override
  public String agentVersion() {
    if (instance.versionInfo() == null) {
      return null;
    }
    return instance.versionInfo().path("agentVersion").asText(null);
  }

  @Override
  public String ec2InstanceId() {
    return instance.ec2InstanceId();
  }

  @Override
  public long registeredAtMillis() {
    return instance.registeredAt();
  }

  @Override
  public int runningTasksCount() {
    return index.runningTasks(arn);
  }

  @Override
  public boolean runsTaskOfGroup(String group) {
    return groupCount(group) > 0;
  }
}
