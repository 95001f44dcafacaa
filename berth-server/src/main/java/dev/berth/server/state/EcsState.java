package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;

/**
 * All of Berth's ECS state, partitioned by region as AWS partitions it; rebuilt from the store at
 * start-up by replaying its rows.
 */
public final class EcsState {
  private final Store store;
  private final Executor executor;
  private final ConcurrentSkipListMap<String, RegionState> regions = new ConcurrentSkipListMap<>();

  /** Creates an empty state over the store; writers run their commands on the executor. */
  public EcsState(Store store, Executor executor) {
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
  }

  /** Returns the state of a region, creating it on first use. */
  public RegionState region(String region) {
    return regions.computeIfAbsent(
        requireNonNull(region), name -> new RegionState(name, store, executor));
  }

  /** Returns every region that holds state, ordered by name. */
  public Collection<RegionState> regions() {
    return Collections.unmodifiableCollection(regions.values());
  }

  /** Rebuilds memory from the store: every stored entity is replayed into its owner. */
  public void load() {
    for (Row row : store.load(EntityRecord.Kind.CLUSTER.name())) {
      Cluster cluster = EntityRecord.Kind.CLUSTER.read(row);
      region(regionOf(row)).cluster(cluster.name()).replay(EntityRecord.of(cluster));
    }
    for (Row row : store.load(EntityRecord.Kind.TASK_DEFINITION.name())) {
      TaskDefinition taskDefinition = EntityRecord.Kind.TASK_DEFINITION.read(row);
      region(regionOf(row)).taskDefinitions().replay(EntityRecord.of(taskDefinition));
    }
  }

  private static String regionOf(Row row) {
    Arn arn = Arn.parse(row.key());
    if (arn == null) {
      throw new IllegalStateException("stored " + row.kind() + " key is not an ARN: " + row.key());
    }
    return arn.region();
  }
}
