package dev.berth.server.controller;

import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Task;

/**
 * How a service's deployments move on once the pass has decided its stops and starts: older
 * deployments without tasks turn INACTIVE, and the primary completes (a rollback with it) when the
 * service has reached its steady state.
 */
final class DeploymentRollout {
  private DeploymentRollout() {}

  /**
   * Moves deployments on: ACTIVE ones without tasks turn INACTIVE; the primary completes when it
   * runs the desired count, all healthy, nothing else is left and the pass changed nothing.
   */
  static void settle(
      ServicePass pass,
      DeploymentProgress progress,
      ServiceEvents events,
      int desired,
      boolean quiet) {
    long now = pass.now();
    ServiceDeployment primary = progress.primary();
    for (ServiceDeployment deployment : progress.deployments()) {
      if (ServiceDeployment.ACTIVE.equals(deployment.status())
          && pass.occupying(deployment.id()) == 0) {
        progress.replace(deployment, deployment.withStatus(ServiceDeployment.INACTIVE, now));
      }
    }
    if (primary == null
        || !primary.inProgress()
        || !quiet
        || !pass.service().isActive()
        || !steady(pass, progress, desired)) {
      return;
    }
    ServiceDeployment completed =
        primary
            .withRollout(
                ServiceDeployment.COMPLETED, "ECS deployment " + primary.id() + " completed.", now)
            .withDeploymentStatus("SUCCESSFUL", null, now);
    progress.replace(primary, completed);
    progress.replaceAll("ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL", null, now);
    events.deploymentCompleted(primary.id());
  }

  /**
   * Returns true if the primary runs exactly the desired count, every one healthy, and no other
   * task of the service is left (a stop still under way included) nor any ACTIVE deployment.
   */
  static boolean steady(ServicePass pass, DeploymentProgress progress, int desired) {
    ServiceDeployment primary = progress.primary();
    if (primary == null) {
      return false;
    }
    int primaryHealthy = 0;
    for (Task task : pass.tasks()) {
      if (task.lifecycle().hasStopped()) {
        continue;
      }
      if (!ServicePass.of(primary, task) || !pass.healthy(task)) {
        return false;
      }
      primaryHealthy++;
    }
    if (primaryHealthy != desired) {
      return false;
    }
    for (ServiceDeployment deployment : progress.deployments()) {
      if (ServiceDeployment.ACTIVE.equals(deployment.status())) {
        return false;
      }
    }
    return true;
  }
}
