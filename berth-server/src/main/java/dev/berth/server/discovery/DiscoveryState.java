package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import dev.berth.server.dns.ZoneDirectory;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * All of Berth's Cloud Map state, partitioned by region as AWS partitions it, and the DNS zones of
 * its private DNS namespaces; rebuilt from the store at start-up by replaying its rows.
 */
public final class DiscoveryState {
  private final Store store;
  private final Executor executor;
  private final ZoneDirectory zones;
  private final ConcurrentSkipListMap<String, DiscoveryRegion> regions =
      new ConcurrentSkipListMap<>();

  /** Creates an empty state over the store that publishes its DNS zones to the directory. */
  public DiscoveryState(Store store, Executor executor, ZoneDirectory zones) {
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
    this.zones = requireNonNull(zones);
  }

  /** Returns the zones of the private DNS namespaces, for the DNS server. */
  public ZoneDirectory zones() {
    return zones;
  }

  /** Returns the state of a region, creating it on first use. */
  DiscoveryRegion region(String region) {
    return regions.computeIfAbsent(
        requireNonNull(region), name -> new DiscoveryRegion(name, store, executor, zones));
  }

  /** Returns every region that holds state, ordered by name. */
  Collection<DiscoveryRegion> regions() {
    return Collections.unmodifiableCollection(regions.values());
  }

  /** Rebuilds memory from the store and publishes the zones of every DNS namespace. */
  public void load() {
    Map<String, List<Runnable>> replays = new TreeMap<>();
    loadKind(DiscoveryRegion.NAMESPACE, Namespace::region, replays);
    loadKind(DiscoveryRegion.SERVICE, CloudMapService::region, replays);
    loadKind(DiscoveryRegion.INSTANCE, ServiceInstance::region, replays);
    List<Operation> operations =
        store.load(DiscoveryRegion.OPERATION.name()).stream()
            .map(DiscoveryRegion.OPERATION::read)
            .sorted(Comparator.comparingLong(Operation::createdAt))
            .toList();
    for (Operation operation : operations) {
      DiscoveryRegion region = region(operation.region());
      replays
          .computeIfAbsent(operation.region(), name -> new ArrayList<>())
          .add(
              () -> region.replay(recordOf(DiscoveryRegion.OPERATION, operation.key(), operation)));
    }
    replays.forEach((name, list) -> region(name).load(() -> list.forEach(Runnable::run)));
  }

  private <T> void loadKind(
      EntityRecord.Kind<T> kind,
      Function<T, String> regionOf,
      Map<String, List<Runnable>> replays) {
    for (Row row : store.load(kind.name())) {
      T value = kind.read(row);
      String name = regionOf.apply(value);
      DiscoveryRegion region = region(name);
      replays
          .computeIfAbsent(name, key -> new ArrayList<>())
          .add(() -> region.replay(recordOf(kind, row.key(), value)));
    }
  }

  private static <T> EntityRecord<T> recordOf(EntityRecord.Kind<T> kind, String key, T value) {
    return new EntityRecord<>(kind, key, value);
  }
}
