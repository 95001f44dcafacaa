package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The service scheduler's judgement, one service at a time: compares what the service wants (its
 * deployments, desired count, deployment configuration) with its tasks as they are, and decides
 * which tasks to stop and how many to start, how its deployments move on and what to tell in its
 * events. A pure function of its inputs — the service, its tasks, the fleet, what the attachments
 * say of the tasks' health, and the time — it changes nothing itself: the caller places the tasks
 * to start and records the decision in one command of the cluster's writer, and registering tasks
 * in target groups and Cloud Map is {@link ServiceAnnouncer}'s, after that command is durable.
 *
 * <p>The parts: {@link ReplicaPlan} and {@link DaemonPlan} for the two strategies, {@link
 * CircuitBreaker} and {@link DeploymentRollout} for the deployments, {@link ServiceEvents} for the
 * wording.
 */
public final class ServiceController {
  /** The stop code of tasks the scheduler stops. */
  public static final String STOP_CODE = "ServiceSchedulerInitiated";

  /** Why a task failing its container health checks was stopped. */
  public static final String HEALTH_REASON = "Task failed container health checks";

  /** How the reason begins for a task stopped because a target group called it unhealthy. */
  public static final String ELB_HEALTH_REASON = "Task failed ELB health checks in ";

  /** Why a task on a draining container instance was stopped. */
  public static final String DRAINING_REASON = "Container instance is being drained";

  /** Why a daemon task on an instance it no longer belongs on was stopped. */
  public static final String PLACEMENT_REASON =
      "Container instance no longer meets the placement constraints of the service";

  /** What the controller needs to know of the cluster around a service. */
  public interface Fleet {
    /** Returns true if the instance is DRAINING: its service tasks move elsewhere. */
    boolean draining(String instanceArn);

    /**
     * Returns the instances a DAEMON service's task belongs on: ACTIVE instances that meet its
     * constraints and required attributes.
     */
    List<String> daemonInstances(Service service);

    /** Returns true if a DRAINING instance runs nothing but daemon tasks any more. */
    boolean onlyDaemonTasksLeft(String instanceArn);
  }

  /** A task to ask to stop and why. */
  public record Stop(Task task, String reason) {}

  /**
   * What to do for a service: its new record (the same object if nothing changed), the tasks to
   * stop, how many tasks of the primary deployment to place (REPLICA), the instances to start one
   * on (DAEMON), and the DEACTIVATING tasks that have drained and may now stop.
   */
  public record Decision(
      Service service, List<Stop> stops, int starts, List<String> startOn, List<Task> drained) {
    /** Creates a decision; lists are copied. */
    public Decision {
      requireNonNull(service);
      stops = List.copyOf(stops);
      startOn = List.copyOf(startOn);
      drained = List.copyOf(drained);
    }

    /** Returns true if there is nothing to record or do. */
    public boolean idle(Service before) {
      return service == before
          && stops.isEmpty()
          && starts == 0
          && startOn.isEmpty()
          && drained.isEmpty();
    }
  }

  private final AttachmentHealth attachments;
  private final CircuitBreaker breaker;

  /**
   * Creates a controller that reads the tasks' health off the attachments given and makes
   * deployment ids with the random.
   */
  public ServiceController(AttachmentHealth attachments, RandomGenerator random) {
    this.attachments = requireNonNull(attachments);
    this.breaker = new CircuitBreaker(random);
  }

  /** Decides what to do for a service with its tasks (its group's, stopped ones included). */
  public Decision decide(Service service, Collection<Task> tasks, Fleet fleet, long now) {
    ServicePass pass = new ServicePass(service, tasks, fleet, attachments, now);
    ServiceSettings settings = service.settings();
    ServiceEvents events = new ServiceEvents(service.name(), service.events(), now);
    DeploymentProgress progress = new DeploymentProgress(service.deployments(), settings);
    boolean active = service.isActive();
    List<String> daemonTargets =
        settings.daemon() && active ? fleet.daemonInstances(service) : List.of();
    int desired = !active ? 0 : settings.daemon() ? daemonTargets.size() : settings.desiredCount();
    if (settings.daemon() && desired != settings.desiredCount()) {
      progress.settings(progress.settings().withDesiredCount(desired));
    }
    breaker.check(pass, progress, events, desired);
    ServiceDeployment primary = progress.primary();
    boolean primaryFailed =
        primary == null || ServiceDeployment.FAILED.equals(primary.rolloutState());
    replaceUnhealthy(pass, events);
    int starts = 0;
    List<String> startOn = List.of();
    if (settings.daemon()) {
      startOn = DaemonPlan.plan(pass, daemonTargets, primary, primaryFailed, active);
    } else {
      starts = ReplicaPlan.plan(pass, desired, primary, primaryFailed, active);
    }
    List<Stop> stops = pass.stops();
    if (!stops.isEmpty()) {
      events.stopped(stops.stream().map(stop -> stop.task().arn()).toList());
    }
    boolean quiet = stops.isEmpty() && starts == 0 && startOn.isEmpty();
    DeploymentRollout.settle(pass, progress, events, desired, quiet);
    boolean steady = active && quiet && DeploymentRollout.steady(pass, progress, desired);
    if (steady && !service.steady()) {
      events.steadyState();
    }
    boolean emptied = Service.DRAINING.equals(service.status()) && pass.occupying(null) == 0;
    Service result = service;
    if (emptied || progress.changed() || events.changed() || steady != service.steady()) {
      result =
          service
              .withProgress(progress.deployments(), events.events(), steady)
              .withSettings(progress.settings());
      if (emptied) {
        result = result.withStatus(Service.INACTIVE);
      }
    }
    return new Decision(result, stops, starts, startOn, drained(pass));
  }

  /** Stops the live tasks that failed their health checks once their grace period is over. */
  private static void replaceUnhealthy(ServicePass pass, ServiceEvents events) {
    for (Task task : pass.tasks()) {
      if (!ServiceTasks.live(task) || !pass.replaceable(task)) {
        continue;
      }
      String targetGroup =
          "UNHEALTHY".equals(task.lifecycle().healthStatus())
              ? null
              : pass.attachments().unhealthyIn(pass.service(), task);
      if (targetGroup == null) {
        events.failedHealthChecks(task.arn());
        pass.stop(task, HEALTH_REASON);
      } else {
        events.failedElbHealthChecks(task.arn(), targetGroup);
        pass.stop(task, ELB_HEALTH_REASON + "(target-group " + targetGroup + ")");
      }
    }
  }

  /** Returns the DEACTIVATING tasks whose targets have drained: they may stop now. */
  private static List<Task> drained(ServicePass pass) {
    List<Task> drained = new ArrayList<>();
    for (Task task : pass.tasks()) {
      if (TaskLifecycle.DEACTIVATING.equals(task.lastStatus())
          && !task.lifecycle().hasStopped()
          && pass.attachments().drained(pass.service(), task)) {
        drained.add(task);
      }
    }
    return drained;
  }
}
