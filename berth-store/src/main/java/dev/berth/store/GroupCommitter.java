package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue of batches handed over to a store and the one thread that writes them: it drains
 * whatever has queued up, writes it in one transaction and completes the batches' futures in
 * hand-over order, so many small commits share one sync to disk.
 *
 * <p>Futures are completed on a separate single "completer" thread rather than on the writer
 * thread: callers chain work onto them (replaying records, answering requests), and that work must
 * neither delay the next transaction nor deadlock it by committing and waiting from a callback. One
 * thread keeps completions in hand-over order; callbacks should still not block, because they delay
 * the completion of later batches.
 */
final class GroupCommitter implements AutoCloseable {
  /** Writes mutations durably in one transaction, or throws and leaves none of them written. */
  interface BatchWriter extends AutoCloseable {
    /** Writes the mutations in order in one transaction and returns once it is durable. */
    void write(List<Mutation> mutations) throws Exception;

    /** Releases the writer's connection. */
    @Override
    void close() throws Exception;
  }

  /** A batch handed over and the future its caller waits on. */
  private record Pending(List<Mutation> mutations, CompletableFuture<Void> future) {}

  /** The most mutations written in one transaction, so one transaction stays bounded in memory. */
  static final int MAX_GROUP_MUTATIONS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  private final String name;
  private final BatchWriter writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition handedOver = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final AtomicLong transactions = new AtomicLong();
  private final Thread writerThread;
  private final ExecutorService completer;
  private volatile Thread completerThread;
  private final AtomicLong failures = new AtomicLong();
  private boolean closed;
  private volatile Throwable lastFailure;

  /** Creates a committer that owns the writer and starts its thread; {@code name} is for errors. */
  GroupCommitter(String name, BatchWriter writer) {
    this.name = requireNonNull(name);
    this.writer = requireNonNull(writer);
    // Daemon threads: if the process exits without closing the store, unacknowledged batches are
    // lost, which the contract allows, rather than the process hanging on an idle writer.
    this.completer =
        Executors.newSingleThreadExecutor(
            task ->
                completerThread =
                    Thread.ofPlatform().name("berth-store-completer").daemon().unstarted(task));
    this.writerThread = Thread.ofPlatform().name("berth-store-writer").daemon().start(this::run);
  }

  /** Queues a batch behind every batch handed over before and returns its durability future. */
  CompletableFuture<Void> commit(List<Mutation> mutations) {
    // Copy so that a caller reusing its list cannot change a batch after handing it over.
    List<Mutation> batch = List.copyOf(mutations);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("store " + name + " is closed");
      }
      if (batch.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      Pending pending = new Pending(batch, new CompletableFuture<>());
      queue.add(pending);
      handedOver.signal();
      return pending.future();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many transactions have been committed so far. */
  long transactions() {
    return transactions.get();
  }

  /** Returns how many transactions have failed so far. */
  long failures() {
    return failures.get();
  }

  /** Returns why the last transaction failed if no transaction has succeeded since, or null. */
  Throwable lastFailure() {
    return lastFailure;
  }

  /** Writes everything handed over, stops both threads and closes the writer. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      handedOver.signal();
    } finally {
      lock.unlock();
    }
    joinUninterruptibly(writerThread);
    completer.shutdown();
    // A callback that closes the store runs on the completer thread and must not wait for itself.
    if (Thread.currentThread() != completerThread) {
      awaitUninterruptibly(completer);
    }
  }

  /** Runs the writer thread: writes groups until closed and drained. */
  private void run() {
    try {
      for (List<Pending> group = nextGroup(); group != null; group = nextGroup()) {
        write(group);
      }
    } finally {
      try {
        writer.close();
      } catch (Exception e) {
        log.warn("Could not close the writer of store {}", name, e);
      }
    }
  }

  /** Waits for batches and takes as many as fit in one group, or returns null once closed. */
  private List<Pending> nextGroup() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        handedOver.awaitUninterruptibly();
      }
      List<Pending> group = new ArrayList<>();
      int size = 0;
      // Always take at least one batch, even one larger than the cap: it must be atomic.
      while (!queue.isEmpty()
          && (group.isEmpty() || size + queue.peek().mutations().size() <= MAX_GROUP_MUTATIONS)) {
        Pending pending = queue.poll();
        group.add(pending);
        size += pending.mutations().size();
      }
      return group.isEmpty() ? null : group;
    } finally {
      lock.unlock();
    }
  }

  /** Writes one group in one transaction and hands its futures to the completer. */
  private void write(List<Pending> group) {
    List<Mutation> mutations = new ArrayList<>();
    for (Pending pending : group) {
      mutations.addAll(pending.mutations());
    }
    try {
      writer.write(mutations);
    } catch (Throwable e) {
      fail(group, e);
      return;
    }
    transactions.incrementAndGet();
    lastFailure = null;
    completer.execute(() -> group.forEach(pending -> pending.future().complete(null)));
  }

  /** Fails the group's batches; the writer goes on with the batches queued behind it. */
  private void fail(List<Pending> group, Throwable cause) {
    // The writer rolled the transaction back, so none of the group's mutations is in the store
    // (only a commit whose final sync failed may leave frames that a crash before the next write
    // would recover: the AWS contract for a 500, whose outcome is unknown, allows that). The
    // batches queued behind it were handed over by other callers, which did not build on this
    // group (a state writer has one batch in flight at a time), so they are written as usual: a
    // full disk fails each transaction until space is freed, then writes resume by themselves.
    log.error("Store {} could not write a transaction of {} batches", name, group.size(), cause);
    lastFailure = cause;
    failures.incrementAndGet();
    completer.execute(
        () -> group.forEach(pending -> pending.future().completeExceptionally(cause)));
  }

  /** Joins a thread, deferring an interrupt until it has ended; the store's other threads too. */
  static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for an executor to finish its tasks, deferring an interrupt until it has. */
  private static void awaitUninterruptibly(ExecutorService executor) {
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.DAYS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
