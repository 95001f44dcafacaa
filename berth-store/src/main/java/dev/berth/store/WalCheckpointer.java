package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed WAL frames back into the database file on a thread and connection of its own, so
 * that the store's writer does not stall on it.
 *
 * <p>Left to itself, SQLite checkpoints on the connection that commits, once the WAL holds {@value
 * #WRITER_FRAMES} frames: the writer copies them all into the database file and syncs it, and every
 * batch handed over in the meantime waits. Here a passive checkpoint runs at most every {@value
 * #INTERVAL_MILLIS} ms once something was committed, beside the writer, and the writer's own
 * checkpoint stays as it was: it then finds all but the last few frames copied already. The
 * writer's checkpoint is still needed: SQLite starts the WAL over from its beginning only when a
 * transaction begins with every frame copied, which a checkpoint beside a busy writer seldom
 * achieves.
 *
 * <p>A checkpoint only copies frames that are already durable in the WAL, so it can neither lose
 * nor reorder a commit; if one fails, the next one, or the writer's, tries again.
 */
final class WalCheckpointer implements AutoCloseable {
  /** The WAL size, in frames, at which the writer checkpoints itself (SQLite's default). */
  static final int WRITER_FRAMES = 1000;

  /** The least time between two checkpoints of this thread, in milliseconds. */
  static final long INTERVAL_MILLIS = 10;

  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

  private final String name;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean pending;
  private boolean closed;

  /** Starts checkpointing over the connection, which it owns; {@code name} is for logs. */
  WalCheckpointer(String name, Connection connection) {
    this.name = requireNonNull(name);
    this.connection = requireNonNull(connection);
    this.thread = Thread.ofPlatform().name("berth-store-checkpointer").daemon().start(this::run);
  }

  /** Tells the checkpointer that a transaction was committed, so the WAL has grown. */
  void committed() {
    lock.lock();
    try {
      if (!pending) {
        pending = true;
        wake.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread and closes its connection; a checkpoint under way finishes first. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
    GroupCommitter.joinUninterruptibly(thread);
  }

  private void run() {
    try (Statement statement = connection.createStatement()) {
      while (awaitCommit()) {
        checkpoint(statement);
        pause();
      }
    } catch (SQLException e) {
      log.warn("Store {} stopped checkpointing on its own; its writer still does", name, e);
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        log.warn("Could not close the checkpointing connection of store {}", name, e);
      }
    }
  }

  /** Waits for a commit since the last checkpoint; returns false once closed. */
  private boolean awaitCommit() {
    lock.lock();
    try {
      while (!pending && !closed) {
        wake.awaitUninterruptibly();
      }
      pending = false;
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Copies what it can of the WAL into the database without waiting for the writer. */
  private void checkpoint(Statement statement) {
    try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      result.next();
    } catch (SQLException e) {
      // Busy (the writer is checkpointing) or a passing I/O error: the next round retries.
      log.debug("Checkpoint of store {} did not run", name, e);
    }
  }

  /** Waits out the interval between checkpoints, or until closed. */
  private void pause() {
    lock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
      while (left > 0 && !closed) {
        left = wake.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
