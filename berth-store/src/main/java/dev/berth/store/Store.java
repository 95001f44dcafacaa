package dev.berth.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable store under Berth's in-memory state: rows of JSON text grouped by kind and keyed by a
 * string, written in atomic batches.
 *
 * <p>Callers hand it the rows a command changed; the store makes them durable, in the order the
 * batches were handed over, and completes the returned future only once they would survive a crash
 * of the process or the machine. Reads happen at start-up, when the state is rebuilt.
 * Implementations: {@link SqliteStore} (embedded, the default); PostgreSQL for several
 * control-plane nodes comes later behind the same interface.
 */
public interface Store extends AutoCloseable {
  /**
   * Schedules the mutations to be committed atomically, after every batch handed over before; the
   * future completes when they are durable, or exceptionally if they could not be written (in which
   * case the store refuses all later batches, so that memory and disk cannot drift apart).
   *
   * @throws IllegalStateException if the store is closed or has refused writes since a failure
   */
  CompletableFuture<Void> commit(List<Mutation> mutations);

  /** Returns every row of a kind, ordered by key in code point order (not by locale). */
  List<Row> load(String kind);

  /** Returns the row of a kind and key, or null. */
  Row get(String kind, String key);

  /** Commits what was handed over, then releases the store's resources. */
  @Override
  void close();
}
