package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Json;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Task;
import java.util.random.RandomGenerator;

/**
 * ECS's deployment circuit breaker: counts the failed tasks of the deployment in progress, fails it
 * once they reach the threshold and, if the service asks for rollback, starts a new deployment of
 * the last one that completed.
 */
final class CircuitBreaker {
  /** The reason of a deployment the breaker failed. */
  static final String FAILED = "ECS deployment circuit breaker: tasks failed to start.";

  private final RandomGenerator random;

  CircuitBreaker(RandomGenerator random) {
    this.random = requireNonNull(random);
  }

  /**
   * Updates the primary deployment's count of failed tasks while it is in progress, and trips the
   * breaker when the count reaches the threshold for the desired count.
   */
  void check(ServicePass pass, DeploymentProgress progress, ServiceEvents events, int desired) {
    ServiceDeployment primary = progress.primary();
    if (primary == null || !primary.inProgress()) {
      return;
    }
    int failures = 0;
    for (Task task : pass.tasks()) {
      if (ServicePass.of(primary, task) && ServiceTasks.failed(task)) {
        failures++;
      }
    }
    if (failures > primary.failedTasks()) {
      progress.replace(primary, primary.withFailedTasks(failures, pass.now()));
      primary = progress.primary();
    }
    ServiceSettings settings = pass.service().settings();
    if (settings.circuitBreaker()
        && primary.failedTasks() >= DeploymentLimits.failureThreshold(desired)) {
      trip(pass, progress, events, primary);
    }
  }

  /** Fails the primary deployment and, if asked and possible, rolls back. */
  private void trip(
      ServicePass pass,
      DeploymentProgress progress,
      ServiceEvents events,
      ServiceDeployment failed) {
    long now = pass.now();
    ServiceSettings settings = pass.service().settings();
    events.deploymentFailed(failed.id());
    ServiceDeployment target = settings.rollback() ? progress.lastCompleted() : null;
    ServiceDeployment marked = failed.withRollout(ServiceDeployment.FAILED, FAILED, now);
    // Rolling back to the revision that just failed (a rollback that fails in turn) would start
    // the same failing tasks again and again: the deployment stays FAILED instead.
    if (target == null || target.taskDefinition().equals(failed.taskDefinition())) {
      progress.replace(
          failed,
          marked.withDeploymentStatus(
              settings.rollback() ? "ROLLBACK_FAILED" : "STOPPED", FAILED, now));
      progress.replaceAll("ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", FAILED, now);
      return;
    }
    var rollback = Json.object();
    rollback.put("reason", FAILED);
    rollback.set("startedAt", Json.timestamp(now));
    rollback.put("serviceRevisionArn", target.revisionArn());
    progress.replace(
        failed,
        marked
            .withDeploymentStatus("ROLLBACK_IN_PROGRESS", FAILED, now)
            .withRollback(rollback, now));
    progress.restart(
        Deployments.start(
            pass.service().arn(),
            progress.deployments(),
            target.taskDefinition(),
            settings.deploymentConfiguration(),
            "ECS deployment circuit breaker: rolling back to deploymentId " + target.id() + ".",
            now,
            random));
    progress.settings(progress.settings().withTaskDefinition(target.taskDefinition()));
    events.rollingBack(failed.id(), target.id());
  }
}
