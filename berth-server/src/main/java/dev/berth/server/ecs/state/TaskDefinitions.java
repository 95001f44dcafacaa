package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.server.statemachine.StateWriter;
import dev.berth.store.Store;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The task definition families of one region with their revisions, ordered by family name and
 * revision as ECS lists them, and the single writer that registers and changes them.
 *
 * <p>Like a cluster's state it keeps two copies: readers see the committed revisions, the writer's
 * commands a working copy that also holds the registrations still on their way to the store (so
 * that registrations pipeline, and each gets the next revision number). A failed commit throws the
 * working copy away, so its revision number is handed out again, never twice for stored content.
 */
public final class TaskDefinitions implements StateWriter.WorkingMemory {
  private final StateWriter writer;
  private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, TaskDefinition>>
      committed = new ConcurrentSkipListMap<>();
  private volatile ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, TaskDefinition>>
      working = new ConcurrentSkipListMap<>();

  TaskDefinitions(Store store, Executor executor) {
    this.writer = new StateWriter(store, executor, this);
  }

  private ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, TaskDefinition>> view() {
    return writer.inCommand() ? working : committed;
  }

  /** Schedules a command; its future completes with the response once its records are durable. */
  public <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    return writer.submit(command);
  }

  /** Returns the families by name, each with its revisions by number; a live read-only view. */
  public NavigableMap<String, ? extends NavigableMap<Integer, TaskDefinition>> families() {
    return java.util.Collections.unmodifiableNavigableMap(view());
  }

  /** Returns a revision, or null. */
  public TaskDefinition revision(String family, int revision) {
    NavigableMap<Integer, TaskDefinition> revisions = view().get(requireNonNull(family));
    return revisions == null ? null : revisions.get(revision);
  }

  /** Returns the newest ACTIVE revision of a family, or null. */
  public TaskDefinition latestActive(String family) {
    NavigableMap<Integer, TaskDefinition> revisions = view().get(requireNonNull(family));
    if (revisions == null) {
      return null;
    }
    for (TaskDefinition candidate : revisions.descendingMap().values()) {
      if (TaskDefinition.ACTIVE.equals(candidate.status())) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Returns the revision number the next registration of the family gets; revisions never repeat.
   */
  public int nextRevision(String family) {
    NavigableMap<Integer, TaskDefinition> revisions = view().get(requireNonNull(family));
    if (revisions == null || revisions.isEmpty()) {
      return 1;
    }
    Map.Entry<Integer, TaskDefinition> last = revisions.lastEntry();
    return last.getKey() + 1;
  }

  /** Applies a task definition record read at start-up to both copies. */
  void replay(StateRecord record) {
    applyCommitted(record);
    applyWorking(record);
  }

  @Override
  public void applyCommitted(StateRecord record) {
    apply(committed, record);
  }

  @Override
  public void applyWorking(StateRecord record) {
    apply(working, record);
  }

  @Override
  public void resetWorking() {
    ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, TaskDefinition>> copy =
        new ConcurrentSkipListMap<>();
    committed.forEach(
        (family, revisions) -> copy.put(family, new ConcurrentSkipListMap<>(revisions)));
    working = copy;
  }

  private static void apply(
      Map<String, ConcurrentSkipListMap<Integer, TaskDefinition>> families, StateRecord record) {
    if (record instanceof EntityRecord<?> entity
        && entity.value() instanceof TaskDefinition value) {
      families
          .computeIfAbsent(value.family(), family -> new ConcurrentSkipListMap<>())
          .put(value.revision(), value);
    } else {
      throw new IllegalArgumentException("not a task definition record: " + record);
    }
  }
}
