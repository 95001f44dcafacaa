package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the logs' SQLite file: it takes every job queued, runs each under a
 * savepoint of one transaction (so a job that fails with CloudWatch Logs' error leaves no trace and
 * fails no other), commits once with a sync to disk, and only then completes the jobs' futures.
 *
 * <p>The queue is bounded by the bytes of the log events waiting in it: a job that would pass the
 * bound is refused at once with ServiceUnavailableException, which AWS clients retry with backoff,
 * so a chatty container slows itself down instead of filling the server's memory.
 */
final class LogWriter implements AutoCloseable {
  /** Work done on the writer's connection inside the group's transaction. */
  @FunctionalInterface
  interface Work<T> {
    /** Does the work and returns its result, or throws CloudWatch Logs' error. */
    T run(Connection connection) throws SQLException;
  }

  private record Job<T>(Work<T> work, long bytes, CompletableFuture<T> future) {}

  private record Done<T>(Job<T> job, T result, Throwable failure) {
    void complete() {
      if (failure == null) {
        job.future().complete(result);
      } else {
        job.future().completeExceptionally(failure);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  private final Connection connection;
  private final long maxQueuedBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
  private final Thread thread;
  private long queuedBytes;
  private boolean closed;

  /** Creates a writer over its own connection and starts its thread. */
  LogWriter(Connection connection, long maxQueuedBytes) {
    this.connection = requireNonNull(connection);
    this.maxQueuedBytes = maxQueuedBytes;
    this.thread = Thread.ofPlatform().name("berth-logs-writer").daemon().start(this::run);
  }

  /**
   * Queues work carrying the bytes of log events given; the future completes once the work is
   * durable, or fails with the work's error, or with ServiceUnavailableException at once when the
   * queue is full or the writer closed.
   */
  <T> CompletableFuture<T> submit(long bytes, Work<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(LogsErrors.unavailable("Berth is shutting down."));
      }
      // An empty queue takes any one batch, however large, so no batch can be refused forever.
      if (bytes > 0 && queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes) {
        return CompletableFuture.failedFuture(
            LogsErrors.unavailable(
                "Too many log events are waiting to be stored; retry the request later."));
      }
      queuedBytes += bytes;
      queue.add(new Job<>(work, bytes, future));
      queued.signal();
    } finally {
      lock.unlock();
    }
    return future;
  }

  /** Returns the bytes of log events queued and not yet written. */
  long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      for (List<Job<?>> group = nextGroup(); group != null; group = nextGroup()) {
        write(group);
      }
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.warn("could not close the logs' writer connection", e);
      }
    }
  }

  private List<Job<?>> nextGroup() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        queued.awaitUninterruptibly();
      }
      if (queue.isEmpty()) {
        return null;
      }
      List<Job<?>> group = new ArrayList<>(queue);
      queue.clear();
      return group;
    } finally {
      lock.unlock();
    }
  }

  private void write(List<Job<?>> group) {
    List<Done<?>> done = new ArrayList<>(group.size());
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      for (Job<?> job : group) {
        done.add(runUnderSavepoint(statement, job));
      }
      statement.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      LOG.error("could not write {} log jobs", group.size(), e);
      rollback();
      AwsException failure = LogsErrors.unavailable("The log events could not be stored.");
      done.clear();
      for (Job<?> job : group) {
        done.add(new Done<>(job, null, failure));
      }
    } finally {
      lock.lock();
      try {
        queuedBytes -= group.stream().mapToLong(Job::bytes).sum();
      } finally {
        lock.unlock();
      }
    }
    done.forEach(Done::complete);
  }

  private static <T> Done<T> runUnderSavepoint(Statement statement, Job<T> job)
      throws SQLException {
    statement.execute("SAVEPOINT job");
    try {
      T result = job.work().run(statement.getConnection());
      statement.execute("RELEASE job");
      return new Done<>(job, result, null);
    } catch (AwsException e) {
      // CloudWatch Logs' own error: this job's changes go, the group's others stay.
      statement.execute("ROLLBACK TO job");
      statement.execute("RELEASE job");
      return new Done<>(job, null, e);
    }
  }

  private void rollback() {
    try (Statement statement = connection.createStatement()) {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      } else {
        statement.execute("ROLLBACK");
      }
    } catch (SQLException e) {
      LOG.debug("rollback after a failed log write: {}", e.toString());
    }
  }

  /** Writes what is queued, then stops the thread and closes the connection. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queued.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
