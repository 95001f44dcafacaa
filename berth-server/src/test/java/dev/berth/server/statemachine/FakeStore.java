package dev.berth.server.statemachine;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A store in memory for state tests: it records every batch handed to it and leaves each one
 * pending until the test completes or fails it, so a test decides when a commit becomes durable.
 *
 * <p>Like the real store, a failed commit fails its batch and writes none of it; later batches are
 * taken as usual. A store told to refuse writes throws for every commit until it is told to take
 * them again. A completed batch is applied to the rows that {@link #load} and {@link #get} return.
 */
public final class FakeStore implements Store {
  /** One batch handed to the store: its mutations and the future the store returned for it. */
  public record Batch(List<Mutation> mutations, CompletableFuture<Void> durable) {}

  private final boolean completeAtOnce;
  private final List<Batch> batches = new ArrayList<>();
  private final Map<String, TreeMap<String, Row>> rows = new TreeMap<>();
  private int commitCalls;
  private int completed;
  private Throwable failure;
  private Throwable lastFailure;

  private FakeStore(boolean completeAtOnce) {
    this.completeAtOnce = completeAtOnce;
  }

  /** Returns a store whose commits stay pending until the test completes them. */
  public static FakeStore pending() {
    return new FakeStore(false);
  }

  /** Returns a store whose commits are durable as soon as they are handed over. */
  public static FakeStore completingAtOnce() {
    return new FakeStore(true);
  }

  @Override
  public synchronized CompletableFuture<Void> commit(List<Mutation> mutations) {
    commitCalls++;
    if (failure != null) {
      throw new IllegalStateException("fake store refuses writes", failure);
    }
    Batch batch = new Batch(List.copyOf(mutations), new CompletableFuture<>());
    batches.add(batch);
    if (completeAtOnce) {
      completeNext();
    }
    return batch.durable();
  }

  /** Puts the row a record persists, as if a batch holding it had been committed earlier. */
  public synchronized FakeStore seed(StateRecord record) {
    apply(record.toMutation());
    return this;
  }

  /** Makes the oldest pending batch durable and completes its future. */
  public void completeNext() {
    Batch batch;
    synchronized (this) {
      if (completed >= batches.size()) {
        throw new IllegalStateException("no batch is pending");
      }
      batch = batches.get(completed++);
      batch.mutations().forEach(this::apply);
      lastFailure = null;
    }
    // Outside the lock, as the real store completes futures on a thread of its own.
    batch.durable().complete(null);
  }

  /** Makes every pending batch durable, oldest first. */
  public void completeAll() {
    while (pendingCount() > 0) {
      completeNext();
    }
  }

  /** Fails the oldest pending batch with the cause, writing none of it. */
  public void failNext(Throwable cause) {
    requireNonNull(cause);
    Batch failed;
    synchronized (this) {
      if (completed >= batches.size()) {
        throw new IllegalStateException("no batch is pending");
      }
      failed = batches.get(completed++);
      lastFailure = cause;
    }
    failed.durable().completeExceptionally(cause);
  }

  /** Makes every later commit throw, as a closed store does, until {@link #takeWrites}. */
  public synchronized void refuseWrites(Throwable cause) {
    failure = requireNonNull(cause);
  }

  /** Takes commits again after {@link #refuseWrites}. */
  public synchronized void takeWrites() {
    failure = null;
  }

  @Override
  public synchronized String writeFailure() {
    return lastFailure == null ? null : lastFailure.getMessage();
  }

  /** Returns the batches handed over so far, in the order they were handed over. */
  public synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  /** Returns how many batches were handed over and are neither completed nor failed. */
  public synchronized int pendingCount() {
    return batches.size() - completed;
  }

  /** Returns how many times commit was called, including calls that were refused. */
  public synchronized int commitCalls() {
    return commitCalls;
  }

  @Override
  public synchronized List<Row> load(String kind) {
    TreeMap<String, Row> ofKind = rows.get(kind);
    return ofKind == null ? List.of() : List.copyOf(ofKind.values());
  }

  @Override
  public synchronized Row get(String kind, String key) {
    TreeMap<String, Row> ofKind = rows.get(kind);
    return ofKind == null ? null : ofKind.get(key);
  }

  @Override
  public void close() {}

  private void apply(Mutation mutation) {
    TreeMap<String, Row> ofKind = rows.computeIfAbsent(mutation.kind(), kind -> new TreeMap<>());
    if (mutation.isDelete()) {
      ofKind.remove(mutation.key());
    } else {
      ofKind.put(mutation.key(), new Row(mutation.kind(), mutation.key(), mutation.body()));
    }
  }
}
