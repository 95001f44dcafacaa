package dev.berth.server.controller;

import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DAEMON strategy: one task of the primary deployment on every instance it belongs on, none
 * elsewhere; outdated tasks replaced within minimumHealthyPercent, and daemon tasks the last to
 * leave a draining instance, as in ECS.
 */
final class DaemonPlan {
  private DaemonPlan() {}

  /**
   * Decides the stops of a DAEMON service into the pass and returns the instances, among the
   * targets, to start a task on.
   */
  static List<String> plan(
      ServicePass pass,
      List<String> targets,
      ServiceDeployment primary,
      boolean primaryFailed,
      boolean active) {
    ServiceController.Fleet fleet = pass.fleet();
    Set<String> wanted = new HashSet<>(targets);
    Map<String, List<Task>> byInstance = new HashMap<>();
    int healthy = 0;
    for (Task task : pass.tasks()) {
      if (!task.lifecycle().hasStopped()) {
        byInstance.computeIfAbsent(task.containerInstanceArn(), key -> new ArrayList<>()).add(task);
      }
      if (pass.candidate(task) && pass.healthy(task)) {
        healthy++;
      }
    }
    int budget =
        healthy
            - DeploymentLimits.minimumHealthy(
                targets.size(), pass.service().settings().minimumHealthyPercent());
    List<Task> outdated = new ArrayList<>();
    for (Map.Entry<String, List<Task>> entry : byInstance.entrySet()) {
      String instance = entry.getKey();
      List<Task> here = entry.getValue();
      here.sort(pass.stopOrder());
      boolean keptOne = false;
      for (Task task : here) {
        if (!pass.candidate(task)) {
          continue;
        }
        if (!wanted.contains(instance)) {
          if (!active) {
            pass.stop(task, pass.scalingReason(primary));
          } else if (fleet.draining(instance)) {
            // Daemon tasks are the last to leave a draining instance, as in ECS.
            if (fleet.onlyDaemonTasksLeft(instance)) {
              pass.stop(task, ServiceController.DRAINING_REASON);
            }
          } else {
            pass.stop(task, ServiceController.PLACEMENT_REASON);
          }
        } else if (keptOne) {
          pass.stop(task, pass.scalingReason(primary));
        } else {
          keptOne = true;
          if (primary != null && !ServicePass.of(primary, task) && !primaryFailed) {
            outdated.add(task);
          }
        }
      }
    }
    for (Task task : outdated) {
      boolean isHealthy = pass.healthy(task);
      if (isHealthy && budget <= 0) {
        continue;
      }
      if (isHealthy) {
        budget--;
      }
      pass.stop(task, pass.scalingReason(primary));
    }
    List<String> startOn = new ArrayList<>();
    if (!active || primaryFailed) {
      return startOn;
    }
    for (String instance : targets) {
      if (!byInstance.containsKey(instance)) {
        startOn.add(instance);
      }
    }
    return startOn;
  }
}
