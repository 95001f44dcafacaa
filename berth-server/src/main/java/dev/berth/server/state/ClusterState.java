package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The in-memory state of one cluster name in one region, with its single writer. The cluster is
 * null until it is first created; readers see the latest replayed version.
 */
public final class ClusterState {
  private final String name;
  private final StateWriter writer;
  private volatile Cluster cluster;

  ClusterState(String name, Store store, Executor executor) {
    this.name = requireNonNull(name);
    this.writer = new StateWriter(store, executor, this::replay);
  }

  /** Returns the cluster's name. */
  public String name() {
    return name;
  }

  /** Returns the cluster as last replayed, or null if it was never created. */
  public Cluster cluster() {
    return cluster;
  }

  /**
   * Schedules a command against the cluster as it is when the command runs (null if never created);
   * the future completes with the response once the command's records are durable.
   */
  public <T> CompletableFuture<T> submit(Function<Cluster, CommandResult<T>> command) {
    requireNonNull(command);
    return writer.submit(() -> command.apply(cluster));
  }

  /** Applies a record of this cluster to memory. */
  void replay(StateRecord record) {
    if (record instanceof EntityRecord<?> entity && entity.value() instanceof Cluster value) {
      cluster = value;
    } else {
      throw new IllegalArgumentException("not a cluster record: " + record);
    }
  }
}
