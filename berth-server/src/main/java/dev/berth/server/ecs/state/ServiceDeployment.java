package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.ecs.shape.DeploymentConfiguration;
import java.util.List;

/**
 * One deployment of a service: the task definition it rolls out and where it stands. It is both
 * ECS's {@code Deployment} (status PRIMARY, ACTIVE or INACTIVE, rollout state IN_PROGRESS,
 * COMPLETED or FAILED) and ECS's {@code ServiceDeployment} (a status such as IN_PROGRESS,
 * SUCCESSFUL or ROLLBACK_IN_PROGRESS, found by its ARN). Running and pending counts are not stored:
 * they are read from the service's tasks, whose startedBy is the deployment's id.
 *
 * @param id the deployment id, {@code ecs-svc/} and 19 digits
 * @param arn the service deployment ARN
 * @param revisionArn the ARN of the service revision the deployment rolls out
 * @param status PRIMARY (the newest), ACTIVE (older, still holding tasks) or INACTIVE (done)
 * @param taskDefinition the task definition ARN its tasks run
 * @param rolloutState IN_PROGRESS, COMPLETED or FAILED
 * @param rolloutStateReason why the rollout is in that state, in ECS's words
 * @param deploymentStatus the ServiceDeployment status
 * @param statusReason why the ServiceDeployment has that status, or null
 * @param failedTasks how many of its tasks failed while it was in progress
 * @param rollback for a deployment rolled back: ECS's {@code Rollback} shape; else null
 * @param sourceRevisionArns the revisions that ran when it started
 * @param deploymentConfiguration the service's deployment configuration when it started
 */
public record ServiceDeployment(
    String id,
    String arn,
    String revisionArn,
    String status,
    String taskDefinition,
    String rolloutState,
    String rolloutStateReason,
    String deploymentStatus,
    String statusReason,
    int failedTasks,
    long createdAt,
    long updatedAt,
    Long finishedAt,
    JsonNode rollback,
    List<String> sourceRevisionArns,
    DeploymentConfiguration deploymentConfiguration) {

  /** The newest deployment, whose tasks the service wants. */
  public static final String PRIMARY = "PRIMARY";

  /** An older deployment whose tasks are being replaced. */
  public static final String ACTIVE = "ACTIVE";

  /** A deployment that holds no tasks any more. */
  public static final String INACTIVE = "INACTIVE";

  /** A rollout under way. */
  public static final String IN_PROGRESS = "IN_PROGRESS";

  /** A rollout that reached its steady state. */
  public static final String COMPLETED = "COMPLETED";

  /** A rollout the circuit breaker stopped. */
  public static final String FAILED = "FAILED";

  /** Creates a deployment; a JSON null member counts as absent and the list is copied. */
  public ServiceDeployment {
    requireNonNull(id);
    requireNonNull(arn);
    requireNonNull(revisionArn);
    requireNonNull(status);
    requireNonNull(taskDefinition);
    requireNonNull(rolloutState);
    requireNonNull(deploymentStatus);
    rollback = rollback == null || rollback.isNull() ? null : rollback;
    sourceRevisionArns = List.copyOf(sourceRevisionArns);
  }

  /** Returns true while the rollout is in progress. */
  public boolean inProgress() {
    return IN_PROGRESS.equals(rolloutState);
  }

  /** Returns a copy with another status (PRIMARY, ACTIVE, INACTIVE), updated now. */
  public ServiceDeployment withStatus(String newStatus, long now) {
    return new ServiceDeployment(
        id,
        arn,
        revisionArn,
        newStatus,
        taskDefinition,
        rolloutState,
        rolloutStateReason,
        deploymentStatus,
        statusReason,
        failedTasks,
        createdAt,
        now,
        finishedAt,
        rollback,
        sourceRevisionArns,
        deploymentConfiguration);
  }

  /** Returns a copy with another rollout state and reason, updated now. */
  public ServiceDeployment withRollout(String state, String reason, long now) {
    return new ServiceDeployment(
        id,
        arn,
        revisionArn,
        status,
        taskDefinition,
        state,
        reason,
        deploymentStatus,
        statusReason,
        failedTasks,
        createdAt,
        now,
        finishedAt,
        rollback,
        sourceRevisionArns,
        deploymentConfiguration);
  }

  /**
   * Returns a copy with another ServiceDeployment status and reason, updated now; a final status
   * stamps finishedAt.
   */
  public ServiceDeployment withDeploymentStatus(String newStatus, String reason, long now) {
    boolean finished = !newStatus.equals("IN_PROGRESS") && !newStatus.endsWith("_IN_PROGRESS");
    return new ServiceDeployment(
        id,
        arn,
        revisionArn,
        status,
        taskDefinition,
        rolloutState,
        rolloutStateReason,
        newStatus,
        reason,
        failedTasks,
        createdAt,
        now,
        finished && finishedAt == null ? Long.valueOf(now) : finishedAt,
        rollback,
        sourceRevisionArns,
        deploymentConfiguration);
  }

  /** Returns a copy with another count of failed tasks, updated now. */
  public ServiceDeployment withFailedTasks(int count, long now) {
    return new ServiceDeployment(
        id,
        arn,
        revisionArn,
        status,
        taskDefinition,
        rolloutState,
        rolloutStateReason,
        deploymentStatus,
        statusReason,
        count,
        createdAt,
        now,
        finishedAt,
        rollback,
        sourceRevisionArns,
        deploymentConfiguration);
  }

  /** Returns a copy that records a rollback (ECS's {@code Rollback} shape), updated now. */
  public ServiceDeployment withRollback(JsonNode newRollback, long now) {
    return new ServiceDeployment(
        id,
        arn,
        revisionArn,
        status,
        taskDefinition,
        rolloutState,
        rolloutStateReason,
        deploymentStatus,
        statusReason,
        failedTasks,
        createdAt,
        now,
        finishedAt,
        newRollback,
        sourceRevisionArns,
        deploymentConfiguration);
  }
}
