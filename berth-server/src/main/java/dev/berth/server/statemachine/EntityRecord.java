package dev.berth.server.statemachine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.api.Json;
import dev.berth.store.Mutation;
import dev.berth.store.Row;
import java.io.UncheckedIOException;

/**
 * A record that stores the new version of one entity (a cluster, a load balancer, ...) under its
 * kind and key; replay puts it in memory, and the rows of a kind rebuild memory at start-up.
 */
public record EntityRecord<T>(Kind<T> kind, String key, T value) implements StateRecord {
  /** A kind of stored entity: its store name and its Java type. */
  public record Kind<T>(String name, Class<T> type) {

    /** Returns the entity a stored row holds. */
    public T read(Row row) {
      try {
        return Json.MAPPER.readValue(row.body(), type);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("unreadable " + name + " row " + row.key(), e);
      }
    }
  }

  /** Creates a record; every part is required. */
  public EntityRecord {
    requireNonNull(kind);
    requireNonNull(key);
    requireNonNull(value);
  }

  @Override
  public Mutation toMutation() {
    try {
      return Mutation.put(kind.name(), key, Json.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + kind.name() + " " + key, e);
    }
  }
}
