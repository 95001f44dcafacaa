package dev.berth.store;

import static java.util.Objects.requireNonNull;

/** One change to the store: a row written (inserted or replaced) or a row deleted. */
public record Mutation(String kind, String key, String body) {
  /** Creates a mutation; a null body deletes the row. */
  public Mutation {
    requireNonNull(kind);
    requireNonNull(key);
  }

  /** Returns a mutation that inserts or replaces the row. */
  public static Mutation put(String kind, String key, String body) {
    return new Mutation(kind, key, requireNonNull(body));
  }

  /** Returns a mutation that deletes the row, if present. */
  public static Mutation delete(String kind, String key) {
    return new Mutation(kind, key, null);
  }

  /** Returns true if this mutation deletes its row. */
  public boolean isDelete() {
    return body == null;
  }
}
