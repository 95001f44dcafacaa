package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Store;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Berth's ECS state in one region: its clusters by name, its task definitions and its account
 * settings.
 */
public final class RegionState {
  private final String region;
  private final Store store;
  private final Executor executor;
  private final Consumer<String> taskSetChanged;
  private final ConcurrentSkipListMap<String, ClusterState> clusters =
      new ConcurrentSkipListMap<>();
  private final TaskDefinitions taskDefinitions;
  private final AccountSettings accountSettings;

  RegionState(String region, Store store, Executor executor, Consumer<String> taskSetChanged) {
    this.region = requireNonNull(region);
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
    this.taskSetChanged = requireNonNull(taskSetChanged);
    this.taskDefinitions = new TaskDefinitions(store, executor);
    this.accountSettings = new AccountSettings(region, store, executor);
  }

  /** Returns the region's name, e.g. us-east-1. */
  public String region() {
    return region;
  }

  /** Returns the state of a cluster name, creating its (empty) holder on first use. */
  public ClusterState cluster(String name) {
    return clusters.computeIfAbsent(
        name, key -> new ClusterState(key, store, executor, taskSetChanged));
  }

  /** Returns the state of a cluster name if a cluster of that name was ever created, or null. */
  public ClusterState existingCluster(String name) {
    ClusterState state = clusters.get(requireNonNull(name));
    return state == null || state.cluster() == null ? null : state;
  }

  /** Returns every cluster holder, ordered by name. */
  public Collection<ClusterState> clusters() {
    return Collections.unmodifiableCollection(clusters.values());
  }

  /** Returns the region's account settings. */
  public AccountSettings accountSettings() {
    return accountSettings;
  }

  /** Returns the region's task definitions. */
  public TaskDefinitions taskDefinitions() {
    return taskDefinitions;
  }
}
