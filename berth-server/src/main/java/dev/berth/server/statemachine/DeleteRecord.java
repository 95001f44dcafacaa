package dev.berth.server.statemachine;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Mutation;

/**
 * A record that removes one entity of a kind by its key: replay drops it from memory and the store
 * deletes its row. Used to prune stopped tasks and long-deregistered container instances.
 */
public record DeleteRecord(EntityRecord.Kind<?> kind, String key) implements StateRecord {
  /** Creates a delete record; both parts are required. */
  public DeleteRecord {
    requireNonNull(kind);
    requireNonNull(key);
  }

  @Override
  public Mutation toMutation() {
    return Mutation.delete(kind.name(), key);
  }
}
