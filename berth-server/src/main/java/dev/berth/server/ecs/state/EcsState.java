package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All of Berth's ECS state, partitioned by region as AWS partitions it; rebuilt from the store at
 * start-up by replaying its rows.
 */
public final class EcsState {
  private static final Logger LOG = LoggerFactory.getLogger(EcsState.class);

  private final Store store;
  private final Executor executor;
  private final ConcurrentSkipListMap<String, RegionState> regions = new ConcurrentSkipListMap<>();
  private final List<Consumer<String>> taskSetListeners = new CopyOnWriteArrayList<>();

  /** Creates an empty state over the store; writers run their commands on the executor. */
  public EcsState(Store store, Executor executor) {
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
  }

  /** Returns the state of a region, creating it on first use. */
  public RegionState region(String region) {
    return regions.computeIfAbsent(
        requireNonNull(region),
        name -> new RegionState(name, store, executor, this::taskSetChanged));
  }

  /** Returns the state of a region if it was ever used, or null. */
  public RegionState existingRegion(String region) {
    return regions.get(requireNonNull(region));
  }

  /** Returns every region that holds state, ordered by name. */
  public Collection<RegionState> regions() {
    return Collections.unmodifiableCollection(regions.values());
  }

  /**
   * Registers a listener told the ARN of a container instance whenever the set of tasks its agent
   * must run changes: a task placed on it, a task's desired status changed, a task stopped or
   * removed. It is a post-commit effect, run by the cluster writer's {@link
   * dev.berth.server.statemachine.AfterCommit} hook: called where the cluster's writer publishes
   * its batches (one at a time, in commit order) once the change is durable, applied to the
   * committed state that readers see and its callers answered, once per instance and batch, and
   * must be cheap. Replays at start-up ({@link #load}) call no listener: an agent gets its whole
   * task set when it connects.
   */
  public void addTaskSetListener(Consumer<String> listener) {
    taskSetListeners.add(requireNonNull(listener));
  }

  /** Rebuilds memory from the store: every stored entity is replayed into its owner. */
  public void load() {
    for (Row row : store.load(EcsRecords.CLUSTER.name())) {
      Cluster cluster = EcsRecords.CLUSTER.read(row);
      region(regionOf(row)).cluster(cluster.name()).load(EcsRecords.of(cluster));
    }
    for (Row row : store.load(EcsRecords.TASK_DEFINITION.name())) {
      TaskDefinition taskDefinition = EcsRecords.TASK_DEFINITION.read(row);
      region(regionOf(row)).taskDefinitions().replay(EcsRecords.of(taskDefinition));
    }
    for (Row row : store.load(EcsRecords.ACCOUNT_SETTING.name())) {
      AccountSetting setting = EcsRecords.ACCOUNT_SETTING.read(row);
      region(setting.region()).accountSettings().replay(AccountSettings.put(setting));
    }
    for (Row row : store.load(EcsRecords.CONTAINER_INSTANCE.name())) {
      ContainerInstance instance = EcsRecords.CONTAINER_INSTANCE.read(row);
      clusterOf(row).load(EcsRecords.of(instance));
    }
    for (Row row : store.load(EcsRecords.CONTAINER_INSTANCE_VERSION.name())) {
      InstanceVersion version = EcsRecords.CONTAINER_INSTANCE_VERSION.read(row);
      clusterOf(row).load(EcsRecords.of(version));
    }
    Map<String, Row> updates = new HashMap<>();
    for (Row row : store.load(EcsRecords.TASK_UPDATE.name())) {
      updates.put(row.key(), row);
    }
    for (Row row : store.load(EcsRecords.TASK.name())) {
      Task task = EcsRecords.TASK.read(row);
      Row update = updates.remove(row.key());
      if (update != null) {
        task = TaskUpdate.applyTo(task, EcsRecords.TASK_UPDATE.read(update));
      }
      clusterOf(row).load(EcsRecords.of(task));
    }
    if (!updates.isEmpty()) {
      // A task and its update are written and deleted in order, so only damage leaves one alone.
      LOG.warn("Ignoring {} stored task updates without their tasks", updates.size());
    }
    for (Row row : store.load(EcsRecords.SERVICE.name())) {
      Service service = EcsRecords.SERVICE.read(row);
      clusterOf(row).load(EcsRecords.of(service));
    }
    for (Row row : store.load(EcsRecords.CLIENT_TOKEN.name())) {
      ClientToken token = EcsRecords.CLIENT_TOKEN.read(row);
      clusterOf(row).load(EcsRecords.of(token));
    }
  }

  private void taskSetChanged(String instanceArn) {
    for (Consumer<String> listener : taskSetListeners) {
      try {
        listener.accept(instanceArn);
      } catch (RuntimeException e) {
        // One listener's failure must not keep the others from hearing of a durable change.
        LOG.warn("task set listener failed for {}", instanceArn, e);
      }
    }
  }

  private ClusterState clusterOf(Row row) {
    String cluster = ContainerInstance.clusterNameOf(row.key());
    if (cluster == null) {
      throw new IllegalStateException(
          "stored " + row.kind() + " key does not name a cluster: " + row.key());
    }
    return region(regionOf(row)).cluster(cluster);
  }

  private static String regionOf(Row row) {
    Arn arn = Arn.parse(row.key());
    if (arn == null) {
      throw new IllegalStateException("stored " + row.kind() + " key is not an ARN: " + row.key());
    }
    return arn.region();
  }
}
