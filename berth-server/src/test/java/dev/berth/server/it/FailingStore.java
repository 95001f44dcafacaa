package dev.berth.server.it;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that fails on command: while told to fail, every commit fails as a full disk fails
 * it, writing nothing; told to work again, it passes commits to the store under it.
 */
final class FailingStore implements Store {
  private final Store store;
  private final AtomicInteger failed = new AtomicInteger();
  private volatile boolean failing;
  private volatile boolean failedLast;

  FailingStore(Store store) {
    this.store = requireNonNull(store);
  }

  /** Makes every later commit fail, or work again. */
  void failing(boolean failing) {
    this.failing = failing;
  }

  /** Returns how many commits failed. */
  int failed() {
    return failed.get();
  }

  @Override
  public CompletableFuture<Void> commit(List<Mutation> mutations) {
    if (failing) {
      failed.incrementAndGet();
      failedLast = true;
      return CompletableFuture.failedFuture(new IOException("injected: No space left on device"));
    }
    return store.commit(mutations).thenRun(() -> failedLast = false);
  }

  @Override
  public String writeFailure() {
    return failedLast ? "injected: No space left on device" : store.writeFailure();
  }

  @Override
  public List<Row> load(String kind) {
    return store.load(kind);
  }

  @Override
  public Row get(String kind, String key) {
    return store.get(kind, key);
  }

  @Override
  public void close() {
    store.close();
  }
}
