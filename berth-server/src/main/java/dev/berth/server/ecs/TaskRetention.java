package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.ClientToken;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How long stopped tasks stay describable, as ECS keeps them for at least an hour, and the pruning
 * that forgets them afterwards; deregistered container instances without tasks go the same way, and
 * RunTask client tokens once a day old ({@link ClientToken#TTL}) or once every task they started is
 * forgotten (a retry could no longer be answered as the first request was).
 */
final class TaskRetention {
  /** ECS's retention of stopped tasks. */
  static final Duration DEFAULT = Duration.ofHours(1);

  private final EcsState state;
  private final Clock clock;
  private final Duration retention;

  TaskRetention(EcsState state, Clock clock, Duration retention) {
    this.state = requireNonNull(state);
    this.clock = requireNonNull(clock);
    this.retention = requireNonNull(retention);
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention cannot be negative: " + retention);
    }
  }

  /**
   * Deletes, in every cluster, the tasks STOPPED longer than the retention ago and the instances
   * deregistered longer ago that hold no task; the future holds how many tasks were deleted.
   */
  CompletableFuture<Integer> prune() {
    long now = clock.millis();
    long cutoff = now - retention.toMillis();
    List<CompletableFuture<Integer>> pruned = new ArrayList<>();
    for (RegionState region : state.regions()) {
      for (ClusterState holder : region.clusters()) {
        if (holder.cluster() != null) {
          pruned.add(holder.submit(current -> prune(holder, cutoff, now)));
        }
      }
    }
    return CompletableFuture.allOf(pruned.toArray(CompletableFuture[]::new))
        .thenApply(done -> pruned.stream().mapToInt(CompletableFuture::join).sum());
  }

  private static CommandResult<Integer> prune(ClusterState holder, long cutoff, long now) {
    List<StateRecord> records = new ArrayList<>();
    Set<String> deleted = new HashSet<>();
    for (Task task : holder.tasks().all()) {
      Long stoppedAt = task.lifecycle().stoppedAt();
      if (task.lifecycle().hasStopped() && stoppedAt != null && stoppedAt <= cutoff) {
        records.add(new DeleteRecord(EcsRecords.TASK, task.arn()));
        records.add(new DeleteRecord(EcsRecords.TASK_UPDATE, task.arn()));
        deleted.add(task.arn());
      }
    }
    for (ClientToken token : holder.clientTokens().all()) {
      boolean tasksForgotten =
          !token.taskArns().isEmpty()
              && token.taskArns().stream()
                  .allMatch(arn -> deleted.contains(arn) || holder.tasks().get(arn) == null);
      if (token.expired(now) || tasksForgotten) {
        records.add(new DeleteRecord(EcsRecords.CLIENT_TOKEN, token.key()));
      }
    }
    for (ContainerInstance instance : holder.instances().all()) {
      Long deregisteredAt = instance.deregisteredAt();
      if (!instance.registered()
          && deregisteredAt != null
          && deregisteredAt <= cutoff
          && holder.tasks().activeOn(instance.arn()).isEmpty()) {
        records.add(new DeleteRecord(EcsRecords.CONTAINER_INSTANCE, instance.arn()));
        records.add(new DeleteRecord(EcsRecords.CONTAINER_INSTANCE_VERSION, instance.arn()));
      }
    }
    return new CommandResult<>(records, deleted.size());
  }
}
