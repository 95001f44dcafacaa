package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tasks of one cluster, ordered by ARN, indexed by the container instance they hold resources
 * on, with the cluster's running and pending counts kept as tasks change. Records are replayed by
 * the cluster's writer; reads are safe from any thread.
 */
public final class Tasks {
  /** The counts ECS shows on a cluster, by launch type. */
  public record Counts(int runningEc2, int runningExternal, int pendingEc2, int pendingExternal) {
    /** Returns the running tasks of every launch type. */
    public int running() {
      return runningEc2 + runningExternal;
    }

    /** Returns the pending tasks of every launch type. */
    public int pending() {
      return pendingEc2 + pendingExternal;
    }
  }

  private final OrderedByArn<Task> byArn = new OrderedByArn<>();
  // instance ARN -> its tasks not STOPPED, by the last part of their ARN, as last replayed
  private final Map<String, ConcurrentSkipListMap<String, Task>> activeByInstance =
      new ConcurrentHashMap<>();
  private final Map<String, Resources> reservedByInstance = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byGroup = new ConcurrentHashMap<>();

  Tasks() {}

  /** Returns the task with that ARN, or null. */
  public Task get(String arn) {
    return byArn.get(arn);
  }

  /** Returns every task, STOPPED ones still kept included, ordered by ARN; a read-only view. */
  public Collection<Task> all() {
    return byArn.values();
  }

  /**
   * Returns the tasks whose ARN comes after the one given (every one for null), in ARN order: a
   * live read-only view that starts there, for paging through a large cluster.
   */
  public Iterable<Task> after(String arn) {
    return byArn.after(arn);
  }

  /**
   * Returns the tasks of a group (a service's tasks are its group {@code service:NAME}), STOPPED
   * ones still kept included, in no particular order.
   */
  public List<Task> inGroup(String group) {
    Set<String> arns = byGroup.get(requireNonNull(group));
    List<Task> tasks = new ArrayList<>();
    if (arns != null) {
      for (String arn : arns) {
        Task task = byArn.get(arn);
        if (task != null) {
          tasks.add(task);
        }
      }
    }
    return tasks;
  }

  /** Returns the tasks on an instance that are not STOPPED, ordered by ARN. */
  public List<Task> activeOn(String instanceArn) {
    ConcurrentSkipListMap<String, Task> active = activeByInstance.get(requireNonNull(instanceArn));
    return active == null ? new ArrayList<>() : new ArrayList<>(active.values());
  }

  /** Returns how many tasks on an instance are not STOPPED. */
  public int activeCountOn(String instanceArn) {
    ConcurrentSkipListMap<String, Task> active = activeByInstance.get(requireNonNull(instanceArn));
    return active == null ? 0 : active.size();
  }

  /** Returns what the tasks not yet STOPPED on an instance reserve there together. */
  public Resources reservedOn(String instanceArn) {
    return reservedByInstance.getOrDefault(requireNonNull(instanceArn), Resources.NONE);
  }

  /** Returns true if any task of the cluster is not STOPPED. */
  public boolean anyActive() {
    return !reservedByInstance.isEmpty();
  }

  /** Returns the cluster's running and pending task counts. */
  public Counts counts() {
    return new Counts(
        counts.getOrDefault("RUNNING/EC2", 0),
        counts.getOrDefault("RUNNING/EXTERNAL", 0),
        counts.getOrDefault("PENDING/EC2", 0),
        counts.getOrDefault("PENDING/EXTERNAL", 0));
  }

  /**
   * Applies a task; returns true if the task set its instance's agent must run changed: a task
   * placed, one whose desired status changed, one that left DEACTIVATING (which its agent waits for
   * before stopping it), or one that stopped.
   */
  boolean replay(Task task) {
    Task old = byArn.put(task.arn(), task);
    if (old == null) {
      byGroup
          .computeIfAbsent(task.spec().group(), key -> ConcurrentHashMap.newKeySet())
          .add(task.arn());
    }
    count(old, -1);
    count(task, +1);
    boolean changed =
        old == null
            ? task.holdsReservation()
            : old.holdsReservation() != task.holdsReservation()
                || !old.desiredStatus().equals(task.desiredStatus())
                || old.deactivating() != task.deactivating();
    if (task.holdsReservation()) {
      activate(task);
    } else if (old != null && old.holdsReservation()) {
      deactivate(old);
    }
    return changed;
  }

  /** Removes a task; returns the task removed, or null. */
  Task remove(String arn) {
    Task old = byArn.remove(arn);
    if (old != null) {
      Set<String> group = byGroup.get(old.spec().group());
      if (group != null) {
        group.remove(arn);
        if (group.isEmpty()) {
          byGroup.remove(old.spec().group());
        }
      }
      count(old, -1);
      if (old.holdsReservation()) {
        deactivate(old);
      }
    }
    return old;
  }

  /** Records a task that holds its reservation, newly or again with a new record. */
  private void activate(Task task) {
    String instanceArn = task.containerInstanceArn();
    ConcurrentSkipListMap<String, Task> active =
        activeByInstance.computeIfAbsent(instanceArn, key -> new ConcurrentSkipListMap<>());
    // A task placed adds its reservation to the instance's sum; summing every task on the
    // instance again would make each placement cost as much as the tasks already there.
    if (active.put(OrderedByArn.id(task.arn()), task) == null) {
      reservedByInstance.put(instanceArn, reservedOn(instanceArn).plus(task.spec().reservation()));
    }
  }

  /** Forgets a task that no longer holds its reservation. */
  private void deactivate(Task task) {
    String instanceArn = task.containerInstanceArn();
    ConcurrentSkipListMap<String, Task> active = activeByInstance.get(instanceArn);
    if (active == null || active.remove(OrderedByArn.id(task.arn())) == null) {
      return;
    }
    if (active.isEmpty()) {
      activeByInstance.remove(instanceArn);
      reservedByInstance.remove(instanceArn);
      return;
    }
    Resources reserved = Resources.NONE;
    for (Task remaining : active.values()) {
      reserved = reserved.plus(remaining.spec().reservation());
    }
    reservedByInstance.put(instanceArn, reserved);
  }

  private void count(Task task, int delta) {
    if (task == null) {
      return;
    }
    String status = task.lastStatus();
    String bucket =
        TaskLifecycle.RUNNING.equals(status)
            ? "RUNNING"
            : TaskLifecycle.pending(status) ? "PENDING" : null;
    if (bucket != null) {
      counts.merge(bucket + "/" + task.spec().launchType(), delta, Integer::sum);
    }
  }
}
