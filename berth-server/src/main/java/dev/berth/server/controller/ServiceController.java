package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.state.Service;
import dev.berth.server.state.ServiceDeployment;
import dev.berth.server.state.ServiceSettings;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskContainer;
import dev.berth.server.state.TaskLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The service scheduler's judgement, one service at a time: compares what the service wants (its
 * deployments, desired count, deployment configuration) with its tasks as they are, and decides
 * which tasks to stop and how many to start, how its deployments move on (completed, failed by the
 * circuit breaker, rolled back, drained) and what to tell in its events. It changes nothing itself:
 * the caller places the tasks to start and records the decision in one command of the cluster's
 * writer. Time is passed in, so tests drive it with any clock.
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

  private static final int MAX_FAREWELLS = 100_000;

  private static final String BREAKER_FAILED =
      "ECS deployment circuit breaker: tasks failed to start.";

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

  private final ServiceAttachments attachments;
  private final RandomGenerator random;
  // The RUNNING tasks already told to the attachments, with the health status they were told at,
  // the tasks told to be stopping, and the STOPPED tasks told once; kept only in memory, so after
  // a restart every task is told again (telling is idempotent). The last is bounded: forgetting a
  // task there only tells it again.
  private final Map<String, String> announced = new ConcurrentHashMap<>();
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();
  private final Set<String> farewells =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > MAX_FAREWELLS;
                }
              }));

  /** Creates a controller that reports to the attachments given and makes ids with the random. */
  public ServiceController(ServiceAttachments attachments, RandomGenerator random) {
    this.attachments = requireNonNull(attachments);
    this.random = requireNonNull(random);
  }

  /** Decides what to do for a service with its tasks (its group's, stopped ones included). */
  public Decision decide(Service service, Collection<Task> tasks, Fleet fleet, long now) {
    return new Pass(service, tasks, fleet, now).run();
  }

  /** Returns true if a task counts as healthy for the service. */
  boolean healthy(Service service, Task task) {
    return running(task)
        && containersHealthy(task)
        && attachments.health(service, task) == ServiceAttachments.Health.HEALTHY;
  }

  /**
   * Returns true if a task's containers count as healthy: not UNHEALTHY, and HEALTHY if an
   * essential container has a health check.
   */
  static boolean containersHealthy(Task task) {
    String health = task.lifecycle().healthStatus();
    if ("UNHEALTHY".equals(health)) {
      return false;
    }
    boolean checked = false;
    for (TaskContainer container : task.containers()) {
      checked |= container.essential() && container.healthChecked();
    }
    return !checked || "HEALTHY".equals(health);
  }

  /** Returns true if a RUNNING task failed its health checks and its grace period is over. */
  boolean replaceable(Service service, Task task, long now) {
    if (!running(task)) {
      return false;
    }
    boolean unhealthy =
        "UNHEALTHY".equals(task.lifecycle().healthStatus())
            || attachments.health(service, task) == ServiceAttachments.Health.UNHEALTHY;
    Long started = task.lifecycle().startedAt();
    long graceEnds = (started == null ? now : started) + service.settings().gracePeriodMillis();
    return unhealthy && now >= graceEnds;
  }

  /** Returns true if a stopped task counts as a failure of its deployment. */
  static boolean failed(Task task) {
    if (!task.lifecycle().hasStopped()) {
      return false;
    }
    String code = task.lifecycle().stopCode();
    return "TaskFailedToStart".equals(code)
        || "EssentialContainerExited".equals(code)
        || (STOP_CODE.equals(code) && failedHealthChecks(task.lifecycle().stoppedReason()));
  }

  private static boolean failedHealthChecks(String reason) {
    return reason != null && (reason.equals(HEALTH_REASON) || reason.startsWith(ELB_HEALTH_REASON));
  }

  private static boolean running(Task task) {
    return TaskLifecycle.RUNNING.equals(task.lastStatus())
        && TaskLifecycle.RUNNING.equals(task.desiredStatus());
  }

  private static boolean live(Task task) {
    return !task.lifecycle().hasStopped() && TaskLifecycle.RUNNING.equals(task.desiredStatus());
  }

  /** One decision for one service. */
  private final class Pass {
    private final Service service;
    private final ServiceSettings settings;
    private final Collection<Task> tasks;
    private final Fleet fleet;
    private final long now;
    private final ServiceEvents events;
    private final Map<String, Stop> stops = new LinkedHashMap<>();
    private List<ServiceDeployment> deployments;
    private ServiceSettings newSettings;
    private boolean changed;
    // Tasks told to the attachments as RUNNING for the first time, and told to be stopping after
    // they were, in this pass: ECS tells its target registrations in the events.
    private int registered;
    private int deregistered;

    Pass(Service service, Collection<Task> tasks, Fleet fleet, long now) {
      this.service = service;
      this.settings = service.settings();
      this.tasks = tasks;
      this.fleet = fleet;
      this.now = now;
      this.events = new ServiceEvents(service.name(), service.events(), now);
      this.deployments = new ArrayList<>(service.deployments());
      this.newSettings = settings;
    }

    Decision run() {
      List<Task> drained = announce();
      boolean active = service.isActive();
      List<String> daemonTargets =
          settings.daemon() && active ? fleet.daemonInstances(service) : List.of();
      int desired =
          !active ? 0 : settings.daemon() ? daemonTargets.size() : settings.desiredCount();
      if (settings.daemon() && desired != settings.desiredCount()) {
        newSettings = newSettings.withDesiredCount(desired);
        changed = true;
      }
      countFailures(desired);
      ServiceDeployment primary = primary();
      boolean primaryFailed =
          primary == null || ServiceDeployment.FAILED.equals(primary.rolloutState());
      for (Task task : tasks) {
        if (live(task) && replaceable(service, task, now)) {
          String targetGroup =
              "UNHEALTHY".equals(task.lifecycle().healthStatus())
                  ? null
                  : attachments.unhealthyIn(service, task);
          if (targetGroup == null) {
            events.failedHealthChecks(task.arn());
            stop(task, HEALTH_REASON);
          } else {
            events.failedElbHealthChecks(task.arn(), targetGroup);
            stop(task, ELB_HEALTH_REASON + "(target-group " + targetGroup + ")");
          }
        }
      }
      int starts = 0;
      List<String> startOn = new ArrayList<>();
      if (settings.daemon()) {
        startOn = daemon(daemonTargets, primary, primaryFailed, active);
      } else {
        starts = replica(desired, primary, primaryFailed, active);
      }
      if (!stops.isEmpty()) {
        List<String> stopped = new ArrayList<>();
        for (Stop stop : stops.values()) {
          if (TaskLifecycle.RUNNING.equals(stop.task().lastStatus())) {
            tellStopping(stop.task());
          }
          stopped.add(stop.task().arn());
        }
        events.stopped(stopped);
      }
      targetEvents();
      boolean quiet = stops.isEmpty() && starts == 0 && startOn.isEmpty();
      settle(desired, quiet);
      boolean steady = active && quiet && steady(desired);
      if (steady && !service.steady()) {
        events.steadyState();
      }
      String status = service.status();
      if (Service.DRAINING.equals(status) && occupying(null) == 0) {
        status = Service.INACTIVE;
        changed = true;
      }
      Service result = service;
      if (changed || events.changed() || steady != service.steady()) {
        result =
            service.withProgress(deployments, events.events(), steady).withSettings(newSettings);
        if (!status.equals(service.status())) {
          result = result.withStatus(status);
        }
      }
      return new Decision(result, List.copyOf(stops.values()), starts, startOn, drained);
    }

    /**
     * Tells the attachments of tasks newly RUNNING or whose health changed, and of tasks stopping
     * or stopped that were not told yet (stopped by StopTask or on their own, or before a restart);
     * returns the DEACTIVATING tasks that have drained.
     */
    private List<Task> announce() {
      List<Task> drained = new ArrayList<>();
      for (Task task : tasks) {
        String arn = task.arn();
        if (task.lifecycle().hasStopped()) {
          boolean wasAnnounced = announced.remove(arn) != null;
          boolean told = stopping.remove(arn);
          if (farewells.add(arn) && !told) {
            attachments.taskStopping(service, task);
            if (wasAnnounced) {
              deregistered++;
            }
          }
        } else if (TaskLifecycle.DEACTIVATING.equals(task.lastStatus())) {
          tellStopping(task);
          if (attachments.drained(service, task)) {
            drained.add(task);
          }
        } else if (!TaskLifecycle.RUNNING.equals(task.desiredStatus())) {
          tellStopping(task);
        } else if (running(task)) {
          if (stopping.remove(arn)) {
            // Told to stop by a decision that was not recorded: attach it again.
            announced.remove(arn);
          }
          String health = task.lifecycle().healthStatus();
          String before = announced.put(arn, health);
          if (!health.equals(before)) {
            attachments.taskRunning(service, task);
            if (before == null) {
              registered++;
            }
          }
        }
      }
      return drained;
    }

    /** Tells the attachments that a task is about to stop, once. */
    private void tellStopping(Task task) {
      if (stopping.add(task.arn())) {
        attachments.taskStopping(service, task);
        if (announced.containsKey(task.arn())) {
          deregistered++;
        }
      }
    }

    /** Tells in the events the targets registered and deregistered in this pass. */
    private void targetEvents() {
      JsonNode loadBalancers = settings.loadBalancers();
      if (loadBalancers == null || !loadBalancers.isArray()) {
        return;
      }
      for (JsonNode loadBalancer : loadBalancers) {
        String group = loadBalancer.path("targetGroupArn").asText(null);
        if (group == null) {
          continue;
        }
        if (registered > 0) {
          events.registeredTargets(registered, group);
        }
        if (deregistered > 0) {
          events.deregisteredTargets(deregistered, group);
        }
      }
    }

    /**
     * Updates the primary deployment's count of failed tasks while it is in progress, and trips the
     * circuit breaker when it reaches the threshold.
     */
    private void countFailures(int desired) {
      ServiceDeployment primary = primary();
      if (primary == null || !primary.inProgress()) {
        return;
      }
      int failures = 0;
      for (Task task : tasks) {
        if (primary.id().equals(task.spec().startedBy()) && failed(task)) {
          failures++;
        }
      }
      if (failures > primary.failedTasks()) {
        replace(primary, primary.withFailedTasks(failures, now));
        primary = primary();
      }
      if (settings.circuitBreaker()
          && primary.failedTasks() >= DeploymentLimits.failureThreshold(desired)) {
        trip(primary);
      }
    }

    /** Fails the primary deployment and, if asked and possible, rolls back. */
    private void trip(ServiceDeployment failed) {
      events.deploymentFailed(failed.id());
      ServiceDeployment target = settings.rollback() ? lastCompleted() : null;
      ServiceDeployment marked = failed.withRollout(ServiceDeployment.FAILED, BREAKER_FAILED, now);
      // Rolling back to the revision that just failed (a rollback that fails in turn) would start
      // the same failing tasks again and again: the deployment stays FAILED instead.
      if (target == null || target.taskDefinition().equals(failed.taskDefinition())) {
        replace(
            failed,
            marked.withDeploymentStatus(
                settings.rollback() ? "ROLLBACK_FAILED" : "STOPPED", BREAKER_FAILED, now));
        for (ServiceDeployment deployment : List.copyOf(deployments)) {
          if ("ROLLBACK_IN_PROGRESS".equals(deployment.deploymentStatus())) {
            replace(
                deployment,
                deployment.withDeploymentStatus("ROLLBACK_FAILED", BREAKER_FAILED, now));
          }
        }
        return;
      }
      var rollback = Json.object();
      rollback.put("reason", BREAKER_FAILED);
      rollback.set("startedAt", Json.timestamp(now));
      rollback.put("serviceRevisionArn", target.revisionArn());
      replace(
          failed,
          marked
              .withDeploymentStatus("ROLLBACK_IN_PROGRESS", BREAKER_FAILED, now)
              .withRollback(rollback, now));
      deployments =
          new ArrayList<>(
              Deployments.start(
                  service.arn(),
                  deployments,
                  target.taskDefinition(),
                  settings.deploymentConfiguration(),
                  "ECS deployment circuit breaker: rolling back to deploymentId "
                      + target.id()
                      + ".",
                  now,
                  random));
      newSettings = newSettings.withTaskDefinition(target.taskDefinition());
      events.rollingBack(failed.id(), target.id());
      changed = true;
    }

    /** Decides the stops and starts of a REPLICA service; returns how many tasks to start. */
    private int replica(
        int desired, ServiceDeployment primary, boolean primaryFailed, boolean active) {
      int minimumHealthy =
          DeploymentLimits.minimumHealthy(desired, settings.minimumHealthyPercent());
      int maximum = DeploymentLimits.maximum(desired, settings.maximumPercent());
      List<Task> keep = new ArrayList<>();
      List<Task> replace = new ArrayList<>();
      int healthy = 0;
      for (Task task : tasks) {
        if (!live(task) || stops.containsKey(task.arn())) {
          continue;
        }
        if (healthy(service, task)) {
          healthy++;
        }
        boolean ofPrimary = primary != null && primary.id().equals(task.spec().startedBy());
        if (ofPrimary && !fleet.draining(task.containerInstanceArn())) {
          keep.add(task);
        } else {
          replace.add(task);
        }
      }
      int budget = healthy - minimumHealthy;
      if (keep.size() > desired) {
        // Scaling in: the newest and the least healthy go first, whatever the minimum says.
        keep.sort(stopOrder());
        while (keep.size() > desired) {
          Task surplus = keep.remove(keep.size() - 1);
          if (healthy(service, surplus)) {
            budget--;
          }
          stop(surplus, scalingReason(primary));
        }
      }
      if (!primaryFailed || !active) {
        for (Task task : replace) {
          boolean isHealthy = healthy(service, task);
          if (isHealthy && budget <= 0) {
            continue;
          }
          if (isHealthy) {
            budget--;
          }
          stop(
              task,
              fleet.draining(task.containerInstanceArn()) && active
                  ? DRAINING_REASON
                  : scalingReason(primary));
        }
      }
      if (!active || primaryFailed) {
        return 0;
      }
      // As in ECS, the maximum bounds the RUNNING and PENDING tasks: one DEACTIVATING while its
      // targets drain (up to the deregistration delay) no longer counts.
      return Math.max(0, Math.min(desired - keep.size(), maximum - occupying(null) + draining()));
    }

    /** Decides the stops of a DAEMON service; returns the instances to start a task on. */
    private List<String> daemon(
        List<String> targets, ServiceDeployment primary, boolean primaryFailed, boolean active) {
      Set<String> wanted = new HashSet<>(targets);
      Map<String, List<Task>> byInstance = new HashMap<>();
      int healthy = 0;
      for (Task task : tasks) {
        if (!task.lifecycle().hasStopped()) {
          byInstance
              .computeIfAbsent(task.containerInstanceArn(), key -> new ArrayList<>())
              .add(task);
        }
        if (live(task) && !stops.containsKey(task.arn()) && healthy(service, task)) {
          healthy++;
        }
      }
      int budget =
          healthy
              - DeploymentLimits.minimumHealthy(targets.size(), settings.minimumHealthyPercent());
      List<Task> outdated = new ArrayList<>();
      for (Map.Entry<String, List<Task>> entry : byInstance.entrySet()) {
        String instance = entry.getKey();
        List<Task> here = entry.getValue();
        here.sort(stopOrder());
        boolean keptOne = false;
        for (Task task : here) {
          if (!live(task) || stops.containsKey(task.arn())) {
            continue;
          }
          if (!wanted.contains(instance)) {
            if (!active) {
              stop(task, scalingReason(primary));
            } else if (fleet.draining(instance)) {
              // Daemon tasks are the last to leave a draining instance, as in ECS.
              if (fleet.onlyDaemonTasksLeft(instance)) {
                stop(task, DRAINING_REASON);
              }
            } else {
              stop(task, PLACEMENT_REASON);
            }
          } else if (keptOne) {
            stop(task, scalingReason(primary));
          } else if (primary != null
              && !primary.id().equals(task.spec().startedBy())
              && !primaryFailed) {
            outdated.add(task);
            keptOne = true;
          } else {
            keptOne = true;
          }
        }
      }
      for (Task task : outdated) {
        boolean isHealthy = healthy(service, task);
        if (isHealthy && budget <= 0) {
          continue;
        }
        if (isHealthy) {
          budget--;
        }
        stop(task, scalingReason(primary));
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

    /**
     * Moves deployments on: ACTIVE ones without tasks turn INACTIVE; the primary completes when it
     * runs the desired count, all healthy, and nothing else is left.
     */
    private void settle(int desired, boolean quiet) {
      ServiceDeployment primary = primary();
      for (ServiceDeployment deployment : List.copyOf(deployments)) {
        if (ServiceDeployment.ACTIVE.equals(deployment.status())
            && occupying(deployment.id()) == 0) {
          replace(deployment, deployment.withStatus(ServiceDeployment.INACTIVE, now));
        }
      }
      if (primary == null || !primary.inProgress() || !quiet || !service.isActive()) {
        return;
      }
      if (!steady(desired)) {
        return;
      }
      ServiceDeployment completed =
          primary
              .withRollout(
                  ServiceDeployment.COMPLETED,
                  "ECS deployment " + primary.id() + " completed.",
                  now)
              .withDeploymentStatus("SUCCESSFUL", null, now);
      replace(primary, completed);
      for (ServiceDeployment deployment : List.copyOf(deployments)) {
        if ("ROLLBACK_IN_PROGRESS".equals(deployment.deploymentStatus())) {
          replace(
              deployment,
              deployment.withDeploymentStatus(
                  "ROLLBACK_SUCCESSFUL", deployment.statusReason(), now));
        }
      }
      events.deploymentCompleted(primary.id());
    }

    /**
     * Returns true if the primary runs exactly the desired count, every one healthy, and no other
     * task of the service is left (a stop still under way included).
     */
    private boolean steady(int desired) {
      ServiceDeployment primary = primary();
      if (primary == null) {
        return false;
      }
      int primaryHealthy = 0;
      for (Task task : tasks) {
        if (task.lifecycle().hasStopped()) {
          continue;
        }
        if (!primary.id().equals(task.spec().startedBy()) || !healthy(service, task)) {
          return false;
        }
        primaryHealthy++;
      }
      if (primaryHealthy != desired) {
        return false;
      }
      for (ServiceDeployment deployment : deployments) {
        if (ServiceDeployment.ACTIVE.equals(deployment.status())) {
          return false;
        }
      }
      return true;
    }

    /** Returns the tasks not yet STOPPED of a deployment (of any deployment for null). */
    private int occupying(String deploymentId) {
      int count = 0;
      for (Task task : tasks) {
        if (!task.lifecycle().hasStopped()
            && (deploymentId == null || deploymentId.equals(task.spec().startedBy()))) {
          count++;
        }
      }
      return count;
    }

    /** Returns how many tasks are DEACTIVATING: asked to stop, their targets draining. */
    private int draining() {
      int count = 0;
      for (Task task : tasks) {
        if (TaskLifecycle.DEACTIVATING.equals(task.lastStatus())) {
          count++;
        }
      }
      return count;
    }

    /** Orders tasks from the first to keep to the first to stop: healthy and oldest first. */
    private Comparator<Task> stopOrder() {
      return Comparator.<Task, Boolean>comparing(task -> !healthy(service, task))
          .thenComparing(task -> !TaskLifecycle.RUNNING.equals(task.lastStatus()))
          .thenComparingLong(task -> task.spec().createdAt())
          .thenComparing(Task::arn);
    }

    private void stop(Task task, String reason) {
      stops.putIfAbsent(task.arn(), new Stop(task, reason));
    }

    private String scalingReason(ServiceDeployment primary) {
      return primary == null
          ? "Scaling activity initiated by (service " + service.name() + ")"
          : "Scaling activity initiated by (deployment " + primary.id() + ")";
    }

    private ServiceDeployment primary() {
      for (ServiceDeployment deployment : deployments) {
        if (ServiceDeployment.PRIMARY.equals(deployment.status())) {
          return deployment;
        }
      }
      return null;
    }

    private ServiceDeployment lastCompleted() {
      ServiceDeployment primary = primary();
      for (ServiceDeployment deployment : deployments) {
        if (deployment != primary
            && ServiceDeployment.COMPLETED.equals(deployment.rolloutState())) {
          return deployment;
        }
      }
      return null;
    }

    private void replace(ServiceDeployment before, ServiceDeployment after) {
      int index = deployments.indexOf(before);
      deployments.set(index, after);
      changed = true;
    }
  }
}
