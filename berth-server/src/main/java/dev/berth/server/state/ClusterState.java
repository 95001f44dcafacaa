package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Store;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The in-memory state of one cluster name in one region, with its single writer: the cluster itself
 * (null until it is first created), its container instances, its tasks and its services. Readers
 * see the latest replayed version; commands see every record of the commands before them.
 */
public final class ClusterState {
  private final String name;
  private final StateWriter writer;
  private final Consumer<String> taskSetChanged;
  private final ContainerInstances instances = new ContainerInstances();
  private final Tasks tasks = new Tasks();
  private final Services services = new Services();
  private final List<WeakReference<Set<String>>> instanceChanges = new CopyOnWriteArrayList<>();
  private volatile Cluster cluster;

  ClusterState(String name, Store store, Executor executor, Consumer<String> taskSetChanged) {
    this.name = requireNonNull(name);
    this.taskSetChanged = requireNonNull(taskSetChanged);
    this.writer = new StateWriter(store, executor, this::replay);
  }

  /** Returns the cluster's name. */
  public String name() {
    return name;
  }

  /** Returns the cluster as last replayed, or null if it was never created. */
  public Cluster cluster() {
    return cluster;
  }

  /** Returns the cluster's container instances. */
  public ContainerInstances instances() {
    return instances;
  }

  /** Returns the cluster's tasks. */
  public Tasks tasks() {
    return tasks;
  }

  /** Returns the cluster's services. */
  public Services services() {
    return services;
  }

  /**
   * Records whether a container instance's agent is connected (not stored: it lasts as long as the
   * agent's channel). Unknown instances are ignored.
   */
  public void setAgentConnected(String instanceArn, boolean connected) {
    instances.setAgentConnected(instanceArn, connected);
    instanceChanged(instanceArn);
  }

  /**
   * Returns a set to which the cluster adds, from now on, the ARN of every container instance whose
   * record, agent connection or tasks change (the instance's own ARN, whether it still exists or
   * not); the caller removes the ARNs it has read. Safe for concurrent use; held weakly, so it
   * stops being fed once the caller drops it.
   */
  public Set<String> trackInstanceChanges() {
    Set<String> changes = ConcurrentHashMap.newKeySet();
    instanceChanges.add(new WeakReference<>(changes));
    return changes;
  }

  private void instanceChanged(String instanceArn) {
    if (instanceArn == null || instanceChanges.isEmpty()) {
      return;
    }
    for (WeakReference<Set<String>> reference : instanceChanges) {
      Set<String> changes = reference.get();
      if (changes == null) {
        instanceChanges.remove(reference);
      } else {
        changes.add(instanceArn);
      }
    }
  }

  /**
   * Schedules a command against the cluster as it is when the command runs (null if never created);
   * the future completes with the response once the command's records are durable. The command may
   * also read {@link #instances()} and {@link #tasks()}: it runs on the writer, so it sees them as
   * every earlier command left them.
   */
  public <T> CompletableFuture<T> submit(Function<Cluster, CommandResult<T>> command) {
    requireNonNull(command);
    return writer.submit(() -> command.apply(cluster));
  }

  /** Applies a record of this cluster to memory. */
  void replay(StateRecord record) {
    if (record instanceof EntityRecord<?> entity) {
      switch (entity.value()) {
        case Cluster value -> cluster = value;
        case ContainerInstance value -> {
          instances.replay(value);
          instanceChanged(value.arn());
        }
        case InstanceVersion value -> {
          instances.replay(value);
          instanceChanged(value.arn());
        }
        case Task value -> replayTask(value);
        case Service value -> services.replay(value);
        default -> throw new IllegalArgumentException("not a record of a cluster: " + record);
      }
    } else if (record instanceof TaskUpdate update) {
      replayTask(update.task());
    } else if (record instanceof DeleteRecord delete) {
      if (delete.kind().equals(EntityRecord.Kind.TASK)) {
        Task removed = tasks.remove(delete.key());
        if (removed != null) {
          instanceChanged(removed.containerInstanceArn());
        }
        if (removed != null && removed.holdsReservation()) {
          taskSetChanged.accept(removed.containerInstanceArn());
        }
      } else if (delete.kind().equals(EntityRecord.Kind.SERVICE)) {
        services.remove(delete.key());
      } else if (delete.kind().equals(EntityRecord.Kind.CONTAINER_INSTANCE)) {
        instances.remove(delete.key());
        instanceChanged(delete.key());
      } else if (delete.kind().equals(EntityRecord.Kind.CONTAINER_INSTANCE_VERSION)
          || delete.kind().equals(EntityRecord.Kind.TASK_UPDATE)) {
        // Deleted with its instance or task, whose own delete record has removed it from memory.
      } else {
        throw new IllegalArgumentException("not a record of a cluster: " + record);
      }
    } else {
      throw new IllegalArgumentException("not a record of a cluster: " + record);
    }
  }

  /** Applies a task's new version to memory. */
  private void replayTask(Task task) {
    boolean changed = tasks.replay(task);
    instanceChanged(task.containerInstanceArn());
    if (changed) {
      taskSetChanged.accept(task.containerInstanceArn());
    }
  }
}
