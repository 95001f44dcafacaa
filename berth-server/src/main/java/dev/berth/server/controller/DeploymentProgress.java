package dev.berth.server.controller;

import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's deployments and settings as one decision moves them on: a working copy that the
 * circuit breaker and the rollout change, and that tells whether anything changed.
 */
final class DeploymentProgress {
  private List<ServiceDeployment> deployments;
  private ServiceSettings settings;
  private boolean changed;

  DeploymentProgress(List<ServiceDeployment> deployments, ServiceSettings settings) {
    this.deployments = new ArrayList<>(deployments);
    this.settings = settings;
  }

  /** Returns the deployments as they stand now, newest first. */
  List<ServiceDeployment> deployments() {
    return List.copyOf(deployments);
  }

  /** Returns the settings as they stand now. */
  ServiceSettings settings() {
    return settings;
  }

  /** Returns true if a deployment or the settings changed. */
  boolean changed() {
    return changed;
  }

  /** Returns the PRIMARY deployment, or null. */
  ServiceDeployment primary() {
    for (ServiceDeployment deployment : deployments) {
      if (ServiceDeployment.PRIMARY.equals(deployment.status())) {
        return deployment;
      }
    }
    return null;
  }

  /** Returns the newest deployment other than the primary whose rollout COMPLETED, or null. */
  ServiceDeployment lastCompleted() {
    ServiceDeployment primary = primary();
    for (ServiceDeployment deployment : deployments) {
      if (deployment != primary && ServiceDeployment.COMPLETED.equals(deployment.rolloutState())) {
        return deployment;
      }
    }
    return null;
  }

  /** Puts a deployment's new version in the place of its old one. */
  void replace(ServiceDeployment before, ServiceDeployment after) {
    deployments.set(deployments.indexOf(before), after);
    changed = true;
  }

  /** Replaces every deployment whose ServiceDeployment status is the one given. */
  void replaceAll(String deploymentStatus, String newStatus, String reason, long now) {
    for (ServiceDeployment deployment : List.copyOf(deployments)) {
      if (deploymentStatus.equals(deployment.deploymentStatus())) {
        replace(
            deployment,
            deployment.withDeploymentStatus(
                newStatus, reason != null ? reason : deployment.statusReason(), now));
      }
    }
  }

  /** Replaces the deployments with a new list, as starting a deployment does. */
  void restart(List<ServiceDeployment> started) {
    deployments = new ArrayList<>(started);
    changed = true;
  }

  /** Changes the settings. */
  void settings(ServiceSettings changedSettings) {
    if (!changedSettings.equals(settings)) {
      settings = changedSettings;
      changed = true;
    }
  }
}
