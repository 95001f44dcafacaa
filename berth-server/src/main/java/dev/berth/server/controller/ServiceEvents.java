package dev.berth.server.controller;

import dev.berth.api.Arn;
import dev.berth.api.Ids;
import dev.berth.server.ecs.state.ServiceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's event log as one reconciliation adds to it, in ECS's wording: the events already
 * there, newest first, and the new ones put in front. A message equal to the newest event's is not
 * repeated, so a condition that lasts (a task that cannot be placed) is told once, as ECS throttles
 * it.
 */
public final class ServiceEvents {
  private final String serviceName;
  private final long now;
  private final List<ServiceEvent> events;
  private boolean changed;

  /** Starts from the service's events at the time given. */
  public ServiceEvents(String serviceName, List<ServiceEvent> existing, long now) {
    this.serviceName = serviceName;
    this.now = now;
    this.events = new ArrayList<>(existing);
  }

  /** Returns the events, newest first. */
  public List<ServiceEvent> events() {
    return events;
  }

  /** Returns true if an event was added. */
  public boolean changed() {
    return changed;
  }

  /** Adds an event with the message given, unless it repeats the newest one. */
  public void add(String message) {
    if (!events.isEmpty() && events.get(0).message().equals(message)) {
      return;
    }
    events.add(0, new ServiceEvent(Ids.uuid().toString(), now, message));
    changed = true;
  }

  /** Tells that tasks were started. */
  public void started(List<String> taskArns) {
    add(prefix() + "has started " + taskArns.size() + " tasks: " + taskList(taskArns) + ".");
  }

  /** Tells that running tasks were asked to stop. */
  public void stopped(List<String> taskArns) {
    add(
        prefix()
            + "has stopped "
            + taskArns.size()
            + " running tasks: "
            + taskList(taskArns)
            + ".");
  }

  /** Tells that a task failed its container health checks. */
  public void failedHealthChecks(String taskArn) {
    add(prefix() + "(task " + id(taskArn) + ") failed container health checks.");
  }

  /** Tells that a task was stopped because a target group called it unhealthy. */
  public void failedElbHealthChecks(String taskArn, String targetGroupArn) {
    add(
        prefix()
            + "(task "
            + id(taskArn)
            + ") failed ELB health checks in (target-group "
            + targetGroupArn
            + ").");
  }

  /** Tells that tasks were registered in a target group. */
  public void registeredTargets(int count, String targetGroupArn) {
    add(prefix() + "registered " + count + " targets in (target-group " + targetGroupArn + ")");
  }

  /** Tells that tasks were deregistered from a target group. */
  public void deregisteredTargets(int count, String targetGroupArn) {
    add(prefix() + "deregistered " + count + " targets in (target-group " + targetGroupArn + ")");
  }

  /** Tells that the service reached its steady state. */
  public void steadyState() {
    add(prefix() + "has reached a steady state.");
  }

  /** Tells that a deployment completed. */
  public void deploymentCompleted(String deploymentId) {
    add(prefix() + "(deployment " + deploymentId + ") deployment completed.");
  }

  /** Tells that the circuit breaker failed a deployment. */
  public void deploymentFailed(String deploymentId) {
    add(prefix() + "(deployment " + deploymentId + ") deployment failed: tasks failed to start.");
  }

  /** Tells that a failed deployment is rolled back to an earlier one. */
  public void rollingBack(String failedId, String targetId) {
    add(prefix() + "(deployment " + failedId + ") rolling back to deployment " + targetId + ".");
  }

  /**
   * Tells that a task could not be placed; the reason is ECS's closing phrase, e.g. "The closest
   * matching (container-instance ID) has insufficient memory available."
   */
  public void unableToPlace(String reason) {
    add(
        prefix()
            + "was unable to place a task because no container instance met all of its"
            + " requirements. "
            + reason
            + " For more information, see the Troubleshooting section of the Amazon ECS"
            + " Developer Guide.");
  }

  private String prefix() {
    return "(service " + serviceName + ") ";
  }

  private static String taskList(List<String> taskArns) {
    StringBuilder text = new StringBuilder();
    for (String arn : taskArns) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append("(task ").append(id(arn)).append(')');
    }
    return text.toString();
  }

  /** Returns the id at the end of a task or container instance ARN. */
  public static String id(String arn) {
    Arn parsed = Arn.parse(arn);
    String resource = parsed == null ? arn : parsed.resourceId();
    return resource.substring(resource.lastIndexOf('/') + 1);
  }
}
