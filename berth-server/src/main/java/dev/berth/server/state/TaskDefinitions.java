package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

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
 */
public final class TaskDefinitions {
  private final StateWriter writer;
  private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, TaskDefinition>>
      families = new ConcurrentSkipListMap<>();

  TaskDefinitions(Store store, Executor executor) {
    this.writer = new StateWriter(store, executor, this::replay);
  }

  /** Schedules a command; its future completes with the response once its records are durable. */
  public <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    return writer.submit(command);
  }

  /** Returns the families by name, each with its revisions by number; a live read-only view. */
  public NavigableMap<String, ? extends NavigableMap<Integer, TaskDefinition>> families() {
    return java.util.Collections.unmodifiableNavigableMap(families);
  }

  /** Returns a revision, or null. */
  public TaskDefinition revision(String family, int revision) {
    NavigableMap<Integer, TaskDefinition> revisions = families.get(requireNonNull(family));
    return revisions == null ? null : revisions.get(revision);
  }

  /** Returns the newest ACTIVE revision of a family, or null. */
  public TaskDefinition latestActive(String family) {
    NavigableMap<Integer, TaskDefinition> revisions = families.get(requireNonNull(family));
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
    NavigableMap<Integer, TaskDefinition> revisions = families.get(requireNonNull(family));
    if (revisions == null || revisions.isEmpty()) {
      return 1;
    }
    Map.Entry<Integer, TaskDefinition> last = revisions.lastEntry();
    return last.getKey() + 1;
  }

  /** Applies a task definition record to memory. */
  void replay(StateRecord record) {
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
