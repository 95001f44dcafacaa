package dev.berth.server.ecs;

import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** A store in memory whose commits are durable at once, for tests of the ECS operations. */
final class MemoryStore implements Store {
  private final Map<String, TreeMap<String, Row>> rows = new TreeMap<>();
  private int commits;

  @Override
  public synchronized CompletableFuture<Void> commit(List<Mutation> mutations) {
    commits++;
    for (Mutation mutation : mutations) {
      TreeMap<String, Row> ofKind = rows.computeIfAbsent(mutation.kind(), kind -> new TreeMap<>());
      if (mutation.isDelete()) {
        ofKind.remove(mutation.key());
      } else {
        ofKind.put(mutation.key(), new Row(mutation.kind(), mutation.key(), mutation.body()));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Returns how many batches were committed. */
  synchronized int commits() {
    return commits;
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
  public String writeFailure() {
    return null;
  }

  @Override
  public void close() {}
}
