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
   * future completes when they are durable, or exceptionally if they could not be written, in which
   * case none of them is (the caller drops what it built on them). A failure fails only the
   * transaction it hit: later batches are tried as usual.
   *
   * @throws IllegalStateException if the store is closed
   */
  CompletableFuture<Void> commit(List<Mutation> mutations);

  /**
   * Returns why the last write failed if no write has succeeded since (the store is failing), or
   * null if the last write succeeded.
   */
  String writeFailure();

  /** Returns a failure's message and its causes' in one line. */
  static String describe(Throwable failure) {
    StringBuilder described = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      if (described.indexOf(message) < 0) {
        described.append(described.isEmpty() ? "" : ": ").append(message);
      }
    }
    return described.toString();
  }

  /** Returns every row of a kind, ordered by key in code point order (not by locale). */
  List<Row> load(String kind);

  /** Returns the row of a kind and key, or null. */
  Row get(String kind, String key);

  /** Commits what was handed over, then releases the store's resources. */
  @Override
  void close();
}
