package dev.berth.server.controller;

import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The REPLICA strategy: keeps the desired count of the primary deployment's tasks, replacing the
 * tasks of older deployments and those on draining instances within the deployment's limits — no
 * fewer healthy tasks than minimumHealthyPercent, no more tasks than maximumPercent.
 */
final class ReplicaPlan {
  private ReplicaPlan() {}

  /**
   * Decides the stops of a REPLICA service into the pass and returns how many tasks of the primary
   * deployment to start.
   */
  static int plan(
      ServicePass pass,
      int desired,
      ServiceDeployment primary,
      boolean primaryFailed,
      boolean active) {
    ServiceSettings settings = pass.service().settings();
    ServiceController.Fleet fleet = pass.fleet();
    int minimumHealthy = DeploymentLimits.minimumHealthy(desired, settings.minimumHealthyPercent());
    int maximum = DeploymentLimits.maximum(desired, settings.maximumPercent());
    List<Task> keep = new ArrayList<>();
    List<Task> replace = new ArrayList<>();
    int healthy = 0;
    for (Task task : pass.tasks()) {
      if (!pass.candidate(task)) {
        continue;
      }
      if (pass.healthy(task)) {
        healthy++;
      }
      if (ServicePass.of(primary, task) && !fleet.draining(task.containerInstanceArn())) {
        keep.add(task);
      } else {
        replace.add(task);
      }
    }
    int budget = healthy - minimumHealthy;
    if (keep.size() > desired) {
      // Scaling in: the newest and the least healthy go first, whatever the minimum says.
      keep.sort(pass.stopOrder());
      while (keep.size() > desired) {
        Task surplus = keep.remove(keep.size() - 1);
        if (pass.healthy(surplus)) {
          budget--;
        }
        pass.stop(surplus, pass.scalingReason(primary));
      }
    }
    if (!primaryFailed || !active) {
      for (Task task : replace) {
        boolean isHealthy = pass.healthy(task);
        if (isHealthy && budget <= 0) {
          continue;
        }
        if (isHealthy) {
          budget--;
        }
        pass.stop(
            task,
            fleet.draining(task.containerInstanceArn()) && active
                ? ServiceController.DRAINING_REASON
                : pass.scalingReason(primary));
      }
    }
    if (!active || primaryFailed) {
      return 0;
    }
    // As in ECS, the maximum bounds the RUNNING and PENDING tasks: one DEACTIVATING while its
    // targets drain (up to the deregistration delay) no longer counts.
    return Math.max(
        0, Math.min(desired - keep.size(), maximum - pass.occupying(null) + pass.deactivating()));
  }
}
