package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.InstanceVersion;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskUpdate;
import dev.berth.server.statemachine.StateRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes one command makes to a cluster's tasks and container instances, gathered into the
 * records it returns. A task placed on an instance or released from it changes the instance's
 * remaining resources, which ECS counts as a change of the instance: the instance moves one version
 * on, once per command, in a record of its version alone ({@link InstanceVersion}) unless the
 * command changes the instance's record too.
 */
final class ClusterChanges {
  private final ClusterState holder;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, ContainerInstance> instances = new LinkedHashMap<>();
  private final Map<String, InstanceVersion> versions = new LinkedHashMap<>();
  // The tasks this command creates, which are stored whole; the others are stored as updates.
  private final Set<String> created = new HashSet<>();

  ClusterChanges(ClusterState holder) {
    this.holder = requireNonNull(holder);
  }

  /** Returns the task as this command has left it so far, or null. */
  Task task(String arn) {
    Task changed = tasks.get(arn);
    return changed != null ? changed : holder.tasks().get(arn);
  }

  /** Returns the instance as this command has left it so far, or null. */
  ContainerInstance instance(String arn) {
    ContainerInstance changed = instances.get(arn);
    if (changed != null) {
      return changed;
    }
    ContainerInstance current = holder.instances().get(arn);
    InstanceVersion moved = versions.get(arn);
    return current == null || moved == null ? current : current.withVersion(moved.version());
  }

  /** Records a new or changed task; a change to what it reserves moves its instance on. */
  void put(Task task) {
    Task before = holder.tasks().get(task.arn());
    if (before == null) {
      created.add(task.arn());
    }
    boolean reservationChanged =
        before == null
            ? task.holdsReservation()
            : before.holdsReservation() != task.holdsReservation();
    tasks.put(task.arn(), task);
    String instanceArn = task.containerInstanceArn();
    if (reservationChanged
        && !instances.containsKey(instanceArn)
        && !versions.containsKey(instanceArn)) {
      ContainerInstance instance = holder.instances().get(instanceArn);
      if (instance != null) {
        versions.put(instanceArn, new InstanceVersion(instanceArn, instance.version() + 1));
      }
    }
  }

  /** Records a changed instance; it replaces any version move this command made. */
  void put(ContainerInstance instance) {
    instances.put(instance.arn(), instance);
    versions.remove(instance.arn());
  }

  /** Returns true if the command changed nothing. */
  boolean isEmpty() {
    return tasks.isEmpty() && instances.isEmpty() && versions.isEmpty();
  }

  /**
   * Returns the records of every change: tasks first (a new one whole, a stored one as an update),
   * then instances and instance versions.
   */
  List<StateRecord> records() {
    List<StateRecord> records = new ArrayList<>();
    for (Task task : tasks.values()) {
      records.add(created.contains(task.arn()) ? EcsRecords.of(task) : new TaskUpdate(task));
    }
    instances.values().forEach(instance -> records.add(EcsRecords.of(instance)));
    versions.values().forEach(version -> records.add(EcsRecords.of(version)));
    return records;
  }
}
