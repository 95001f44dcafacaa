package dev.berth.server.it;

import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts the mutations handed to it, to show that a refused call changed nothing. */
final class CountingStore implements Store {
  private final Store delegate;
  private final AtomicInteger mutations = new AtomicInteger();

  CountingStore(Store delegate) {
    this.delegate = delegate;
  }

  /** Returns how many mutations were handed over for commit so far. */
  int mutations() {
    return mutations.get();
  }

  @Override
  public CompletableFuture<Void> commit(List<Mutation> batch) {
    mutations.addAndGet(batch.size());
    return delegate.commit(batch);
  }

  @Override
  public String writeFailure() {
    return delegate.writeFailure();
  }

  @Override
  public List<Row> load(String kind) {
    return delegate.load(kind);
  }

  @Override
  public Row get(String kind, String key) {
    return delegate.get(kind, key);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
