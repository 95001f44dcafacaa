package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.api.Json;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.store.Mutation;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The record of a new version of a task that is already stored. A task's spec is fixed for its life
 * and is over half of the whole task, so only a new task is stored whole ({@link
 * EntityRecord#of(Task)}); each later version stores what changed since, the task's lifecycle,
 * containers, tags and version, in a row of its own under the task's ARN ({@link
 * EntityRecord.Kind#TASK_UPDATE}). At start-up that row is laid over the whole task's ({@link
 * #applyTo}). In memory the record holds the whole task, so replay does not tell the two apart.
 */
public record TaskUpdate(Task task) implements StateRecord {
  /** What an update stores: everything of a task but its spec. */
  public record Stored(
      TaskLifecycle lifecycle, List<TaskContainer> containers, List<Tag> tags, long version) {
    /** Creates a stored update; every part is required. */
    public Stored {
      requireNonNull(lifecycle);
      containers = List.copyOf(containers);
      tags = List.copyOf(tags);
    }
  }

  /** Creates the record of a task's new version. */
  public TaskUpdate {
    requireNonNull(task);
  }

  /**
   * Returns the task as a stored update leaves it: the stored task's spec with the update's
   * lifecycle, containers, tags and version.
   */
  public static Task applyTo(Task stored, Stored update) {
    return new Task(
        stored.spec(), update.lifecycle(), update.containers(), update.tags(), update.version());
  }

  @Override
  public Mutation toMutation() {
    Stored stored = new Stored(task.lifecycle(), task.containers(), task.tags(), task.version());
    try {
      return Mutation.put(
          EcsRecords.TASK_UPDATE.name(), task.arn(), Json.MAPPER.writeValueAsString(stored));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the update of task " + task.arn(), e);
    }
  }
}
