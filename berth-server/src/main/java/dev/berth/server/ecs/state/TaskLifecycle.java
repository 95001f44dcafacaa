package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where a task is in ECS's lifecycle: its last and desired status, the times it passed each step,
 * why it stopped and its health. Transitions only ever move forward, so a report that arrives late
 * or twice changes nothing.
 *
 * <p>Stored without its null members, which read back as null: a task is written at least twice.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskLifecycle(
    String lastStatus,
    String desiredStatus,
    String healthStatus,
    String connectivity,
    Long connectivityAt,
    Long pullStartedAt,
    Long pullStoppedAt,
    Long startedAt,
    Long stoppingAt,
    Long stoppedAt,
    Long executionStoppedAt,
    String stopCode,
    String stoppedReason) {

  /** A task the agent has not yet picked up. */
  public static final String PROVISIONING = "PROVISIONING";

  /** A task whose containers are being pulled and created. */
  public static final String PENDING = "PENDING";

  /** A task being wired up before it runs. */
  public static final String ACTIVATING = "ACTIVATING";

  /** A running task. */
  public static final String RUNNING = "RUNNING";

  /** A task being unwired before it stops. */
  public static final String DEACTIVATING = "DEACTIVATING";

  /** A task whose containers are being stopped. */
  public static final String STOPPING = "STOPPING";

  /** A task whose resources are being released. */
  public static final String DEPROVISIONING = "DEPROVISIONING";

  /** A stopped task. */
  public static final String STOPPED = "STOPPED";

  /** The health of a task or container without a verdict. */
  public static final String UNKNOWN = "UNKNOWN";

  /** The statuses of the lifecycle, in the order a task goes through them. */
  public static final List<String> ORDER =
      List.of(
          PROVISIONING,
          PENDING,
          ACTIVATING,
          RUNNING,
          DEACTIVATING,
          STOPPING,
          DEPROVISIONING,
          STOPPED);

  /** Creates a lifecycle position; the statuses are required. */
  public TaskLifecycle {
    requireNonNull(lastStatus);
    requireNonNull(desiredStatus);
    requireNonNull(healthStatus);
  }

  /** Returns a new task's lifecycle: PROVISIONING, desired RUNNING, connected since now. */
  public static TaskLifecycle provisioning(long now) {
    return new TaskLifecycle(
        PROVISIONING,
        RUNNING,
        UNKNOWN,
        "CONNECTED",
        now,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Returns a status's position in the lifecycle, or -1 if it is not a lifecycle status. */
  public static int order(String status) {
    return ORDER.indexOf(status);
  }

  /** Returns true if the task counts as pending in ECS's counts (not yet running). */
  public static boolean pending(String status) {
    return PROVISIONING.equals(status) || PENDING.equals(status) || ACTIVATING.equals(status);
  }

  /** Returns true if the task has stopped. */
  public boolean hasStopped() {
    return STOPPED.equals(lastStatus);
  }

  /**
   * Returns the lifecycle after a request to stop: desired STOPPED from now on, with the first stop
   * code and reason given kept. Stopping a task that is already to stop changes nothing.
   */
  public TaskLifecycle stopRequested(String code, String reason, long now) {
    if (STOPPED.equals(desiredStatus)) {
      return this;
    }
    return new TaskLifecycle(
        lastStatus,
        STOPPED,
        healthStatus,
        connectivity,
        connectivityAt,
        pullStartedAt,
        pullStoppedAt,
        startedAt,
        stoppingAt == null ? Long.valueOf(now) : stoppingAt,
        stoppedAt,
        executionStoppedAt,
        stopCode == null ? code : stopCode,
        stoppedReason == null ? reason : stoppedReason);
  }

  /**
   * Returns the lifecycle of a RUNNING task asked to stop that must first be unwired (taken out of
   * its load balancers' target groups and drained): desired STOPPED as {@link #stopRequested} makes
   * it, and lastStatus DEACTIVATING, which tells its agent to leave the containers running until
   * the server moves the task on to STOPPING. A task not RUNNING is only asked to stop.
   */
  public TaskLifecycle deactivating(String code, String reason, long now) {
    TaskLifecycle asked = stopRequested(code, reason, now);
    return RUNNING.equals(lastStatus) ? asked.withLastStatus(DEACTIVATING) : asked;
  }

  /**
   * Returns the lifecycle of a DEACTIVATING task whose unwiring is done: STOPPING, so its agent
   * stops the containers. Any other task is returned unchanged.
   */
  public TaskLifecycle deactivated() {
    return DEACTIVATING.equals(lastStatus) ? withLastStatus(STOPPING) : this;
  }

  private TaskLifecycle withLastStatus(String status) {
    return new TaskLifecycle(
        status,
        desiredStatus,
        healthStatus,
        connectivity,
        connectivityAt,
        pullStartedAt,
        pullStoppedAt,
        startedAt,
        stoppingAt,
        stoppedAt,
        executionStoppedAt,
        stopCode,
        stoppedReason);
  }

  /**
   * Returns the lifecycle after the agent reported the task at a status, with the pull and
   * execution times it knows (null when it did not say) and its reason. A status that is not ahead
   * of the last one is ignored; times already known are kept.
   *
   * <p>RUNNING stamps startedAt. Passing RUNNING on the way down means the task is to stop (its
   * essential container exited), so desiredStatus turns STOPPED and stoppingAt is stamped. STOPPED
   * stamps stoppedAt and, unless a stop was requested, sets the stop code: TaskFailedToStart if the
   * task never ran, else EssentialContainerExited with ECS's reason unless the agent gave one.
   */
  public TaskLifecycle reported(
      String status,
      Long reportedPullStartedAt,
      Long reportedPullStoppedAt,
      Long reportedExecutionStoppedAt,
      String reason,
      long now) {
    boolean forward = status != null && order(status) > order(lastStatus);
    String newStatus = forward ? status : lastStatus;
    Long started =
        startedAt == null && forward && RUNNING.equals(status) ? Long.valueOf(now) : startedAt;
    boolean goingDown = order(newStatus) > order(RUNNING);
    boolean stopped = STOPPED.equals(newStatus);
    String code = stopCode;
    String why = stoppedReason;
    if (forward && stopped && code == null) {
      code = started == null ? "TaskFailedToStart" : "EssentialContainerExited";
      if (why == null) {
        why =
            reason != null ? reason : started == null ? null : "Essential container in task exited";
      }
    }
    Long executionStopped = executionStoppedAt;
    if (executionStopped == null) {
      executionStopped =
          reportedExecutionStoppedAt != null
              ? reportedExecutionStoppedAt
              : forward && stopped ? Long.valueOf(now) : null;
    }
    return new TaskLifecycle(
        newStatus,
        goingDown ? STOPPED : desiredStatus,
        healthStatus,
        connectivity,
        connectivityAt,
        pullStartedAt == null ? reportedPullStartedAt : pullStartedAt,
        pullStoppedAt == null ? reportedPullStoppedAt : pullStoppedAt,
        started,
        goingDown && stoppingAt == null ? Long.valueOf(now) : stoppingAt,
        forward && stopped ? Long.valueOf(now) : stoppedAt,
        executionStopped,
        code,
        why);
  }

  /** Returns a copy with another health status. */
  public TaskLifecycle withHealth(String newHealth) {
    return new TaskLifecycle(
        lastStatus,
        desiredStatus,
        newHealth,
        connectivity,
        connectivityAt,
        pullStartedAt,
        pullStoppedAt,
        startedAt,
        stoppingAt,
        stoppedAt,
        executionStoppedAt,
        stopCode,
        stoppedReason);
  }
}
