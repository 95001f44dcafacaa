package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One copy of a cluster's state: the cluster itself (null until first created), its container
 * instances, tasks, services and RunTask client tokens. A {@link ClusterState} keeps two: the
 * committed copy that readers see and the working copy that its writer's commands see.
 */
final class ClusterView {
  /**
   * Who is told which instances a replay touched: those whose record or tasks changed, and those
   * whose agent's task set changed.
   */
  record Changes(Consumer<String> instanceChanged, Consumer<String> taskSetChanged) {
    /** Changes that nobody is told about: replays at start-up. */
    static final Changes IGNORED = new Changes(arn -> {}, arn -> {});
  }

  volatile Cluster cluster;
  final ContainerInstances instances;
  final Tasks tasks = new Tasks();
  final Services services = new Services();
  final ClientTokens clientTokens = new ClientTokens();

  ClusterView(Set<String> connectedAgents) {
    this.instances = new ContainerInstances(connectedAgents);
  }

  /** Returns a copy of another view, sharing its immutable values. */
  static ClusterView copyOf(ClusterView source, Set<String> connectedAgents) {
    ClusterView copy = new ClusterView(connectedAgents);
    copy.cluster = source.cluster;
    source.instances.all().forEach(copy.instances::replay);
    source.tasks.all().forEach(copy.tasks::replay);
    source.services.all().forEach(copy.services::replay);
    source.clientTokens.all().forEach(copy.clientTokens::replay);
    return copy;
  }

  /** Applies a record of this cluster, telling the changes what it touched. */
  void replay(StateRecord record, Changes changes) {
    requireNonNull(changes);
    if (record instanceof EntityRecord<?> entity) {
      switch (entity.value()) {
        case Cluster value -> cluster = value;
        case ContainerInstance value -> {
          instances.replay(value);
          changes.instanceChanged().accept(value.arn());
        }
        case InstanceVersion value -> {
          instances.replay(value);
          changes.instanceChanged().accept(value.arn());
        }
        case Task value -> replayTask(value, changes);
        case Service value -> services.replay(value);
        case ClientToken value -> clientTokens.replay(value);
        default -> throw new IllegalArgumentException("not a record of a cluster: " + record);
      }
    } else if (record instanceof TaskUpdate update) {
      replayTask(update.task(), changes);
    } else if (record instanceof DeleteRecord delete) {
      replayDelete(delete, changes);
    } else {
      throw new IllegalArgumentException("not a record of a cluster: " + record);
    }
  }

  private void replayDelete(DeleteRecord delete, Changes changes) {
    EntityRecord.Kind<?> kind = delete.kind();
    if (kind.equals(EcsRecords.TASK)) {
      Task removed = tasks.remove(delete.key());
      if (removed != null) {
        changes.instanceChanged().accept(removed.containerInstanceArn());
        if (removed.holdsReservation()) {
          changes.taskSetChanged().accept(removed.containerInstanceArn());
        }
      }
    } else if (kind.equals(EcsRecords.SERVICE)) {
      services.remove(delete.key());
    } else if (kind.equals(EcsRecords.CLIENT_TOKEN)) {
      clientTokens.remove(delete.key());
    } else if (kind.equals(EcsRecords.CONTAINER_INSTANCE)) {
      instances.remove(delete.key());
      changes.instanceChanged().accept(delete.key());
    } else if (!kind.equals(EcsRecords.CONTAINER_INSTANCE_VERSION)
        && !kind.equals(EcsRecords.TASK_UPDATE)) {
      // A version or an update is deleted with its instance or task, whose own delete removes it.
      throw new IllegalArgumentException("not a record of a cluster: " + delete);
    }
  }

  private void replayTask(Task task, Changes changes) {
    boolean changed = tasks.replay(task);
    changes.instanceChanged().accept(task.containerInstanceArn());
    if (changed) {
      changes.taskSetChanged().accept(task.containerInstanceArn());
    }
  }
}
