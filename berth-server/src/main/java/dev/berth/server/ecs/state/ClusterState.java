package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.server.statemachine.AfterCommit;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.server.statemachine.StateWriter;
import dev.berth.store.Store;
import java.lang.ref.WeakReference;
import java.util.LinkedHashSet;
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
 * (null until it is first created), its container instances, its tasks and its services.
 *
 * <p>It keeps two copies. Readers see the committed copy: only what the store has made durable. The
 * writer's commands see the working copy, which also holds the records of the commands before them
 * that are still on their way to the store; a failed commit throws the working copy away and starts
 * again from the committed one. Which copy the accessors return follows from the thread asking
 * ({@link StateWriter#inCommand}), so a command and a reader call the same methods.
 *
 * <p>Its one post-commit effect, run by the writer's {@link AfterCommit} hook once a batch is
 * durable, applied and answered: the task-set listener hears of each instance whose agent's task
 * set the batch changed. Replaying the batch into the committed copy only notes those instances;
 * loading at start-up notes nothing (an agent gets its whole task set when it connects).
 */
public final class ClusterState implements StateWriter.WorkingMemory {
  private final String name;
  private final StateWriter writer;
  private final Set<String> connectedAgents = ConcurrentHashMap.newKeySet();
  private final ClusterView committed = new ClusterView(connectedAgents);
  private final ClusterView.Changes committedChanges;
  private final Consumer<String> taskSetChanged;
  // Confined to the writer's publishing of batches (one batch at a time): the instances whose task
  // set the batch being applied changed.
  private final Set<String> taskSetsChanged = new LinkedHashSet<>();
  private final ClusterView.Changes workingChanges =
      new ClusterView.Changes(this::instanceChanged, arn -> {});
  private final List<WeakReference<Set<String>>> instanceChanges = new CopyOnWriteArrayList<>();
  private volatile ClusterView working = new ClusterView(connectedAgents);

  ClusterState(String name, Store store, Executor executor, Consumer<String> taskSetChanged) {
    this.name = requireNonNull(name);
    this.taskSetChanged = requireNonNull(taskSetChanged);
    this.committedChanges = new ClusterView.Changes(arn -> {}, taskSetsChanged::add);
    this.writer = new StateWriter(store, executor, this, this::committed);
  }

  /** Returns the cluster's name. */
  public String name() {
    return name;
  }

  /** Returns the cluster as last committed (as last replayed, in a command), or null. */
  public Cluster cluster() {
    return view().cluster;
  }

  /** Returns the cluster's container instances. */
  public ContainerInstances instances() {
    return view().instances;
  }

  /** Returns the cluster's tasks. */
  public Tasks tasks() {
    return view().tasks;
  }

  /** Returns the cluster's services. */
  public Services services() {
    return view().services;
  }

  /** Returns the RunTask client tokens the cluster keeps. */
  public ClientTokens clientTokens() {
    return view().clientTokens;
  }

  private ClusterView view() {
    return writer.inCommand() ? working : committed;
  }

  /**
   * Records whether a container instance's agent is connected (not stored: it lasts as long as the
   * agent's channel). Instances not committed are ignored.
   */
  public void setAgentConnected(String instanceArn, boolean connected) {
    committed.instances.setAgentConnected(instanceArn, connected);
    instanceChanged(instanceArn);
  }

  /**
   * Returns a set to which the cluster adds, from now on, the ARN of every container instance whose
   * record, agent connection or tasks change in the working copy (the instance's own ARN, whether
   * it still exists or not); the caller removes the ARNs it has read. Safe for concurrent use; held
   * weakly, so it stops being fed once the caller drops it.
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
   * Schedules a command against the cluster as the command sees it (null if never created); the
   * future completes with the response once the command's records are durable. The command may also
   * read {@link #instances()}, {@link #tasks()} and {@link #services()}: it runs on the writer, so
   * it sees them as every earlier command left them.
   */
  public <T> CompletableFuture<T> submit(Function<Cluster, CommandResult<T>> command) {
    requireNonNull(command);
    return writer.submit(() -> command.apply(working.cluster));
  }

  /** Applies a record read from the store at start-up to both copies, telling nobody. */
  void load(StateRecord record) {
    committed.replay(record, ClusterView.Changes.IGNORED);
    working.replay(record, workingChanges);
  }

  @Override
  public void applyWorking(StateRecord record) {
    working.replay(record, workingChanges);
  }

  @Override
  public void applyCommitted(StateRecord record) {
    committed.replay(record, committedChanges);
    if (record instanceof DeleteRecord delete
        && delete.kind().equals(EcsRecords.CONTAINER_INSTANCE)) {
      connectedAgents.remove(delete.key());
    }
  }

  /** The writer's post-commit hook: tells the listener of each instance whose task set changed. */
  private void committed(List<StateRecord> records) {
    if (taskSetsChanged.isEmpty()) {
      return;
    }
    List<String> changed = List.copyOf(taskSetsChanged);
    taskSetsChanged.clear();
    changed.forEach(taskSetChanged);
  }

  @Override
  public void resetWorking() {
    ClusterView discarded = working;
    working = ClusterView.copyOf(committed, connectedAgents);
    // Whatever the placement index read from the discarded copy must be read again.
    discarded.instances.all().forEach(instance -> instanceChanged(instance.arn()));
    committed.instances.all().forEach(instance -> instanceChanged(instance.arn()));
  }
}
