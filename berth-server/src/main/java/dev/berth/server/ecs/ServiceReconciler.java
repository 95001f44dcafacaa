package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.server.controller.Controller;
import dev.berth.server.controller.ServiceAnnouncer;
import dev.berth.server.controller.ServiceController;
import dev.berth.server.controller.ServiceEvents;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.ServiceDeployment;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.scheduler.Placement;
import dev.berth.server.scheduler.PlacementConstraint;
import dev.berth.server.scheduler.PlacementIndex;
import dev.berth.server.scheduler.PlacementRequest;
import dev.berth.server.scheduler.PlacementStrategy;
import dev.berth.server.scheduler.ResourceFit;
import dev.berth.server.scheduler.TaskPlacement;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.StateRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service scheduler, the {@link Controller} of ECS services in the {@link
 * dev.berth.server.controller.ControlLoop}: for each cluster with services, one command of the
 * cluster's writer asks the {@link ServiceController} what each service needs, places the tasks to
 * start through the cluster's placement, asks the tasks to stop, and records the tasks and services
 * changed, so that placement, reservation and the service's progress are one step. DAEMON services
 * are reconciled in a command of their own before the REPLICA ones, so each sees the other's
 * placements. Once those commands are durable, the {@link ServiceAnnouncer} brings target groups
 * and Cloud Map in line with the cluster's tasks, off the writer, and its target events are
 * recorded in a last command.
 *
 * <p>It stays in {@code ecs}, beside the operations, rather than in {@code controller}: it builds
 * tasks and their records exactly as RunTask does ({@link TaskBlueprint}, {@link ClusterChanges},
 * {@link TaskStops}, {@link ClusterPlacement}, {@link ServiceFleet}), and moving it would make
 * those package-private rules of ECS's operations public. The decisions themselves live in {@code
 * controller} ({@link ServiceController} and its plans); this class is only their executor.
 */
final class ServiceReconciler implements Controller {
  /** The strategies of a service that names none: spread over zones, then over instances. */
  static final List<PlacementStrategy> SERVICE_DEFAULT =
      List.of(
          PlacementStrategy.of("spread", "attribute:ecs.availability-zone"),
          PlacementStrategy.of("spread", "instanceId"));

  private static final String CLUSTER_TAG = "aws:ecs:clusterName";
  private static final String SERVICE_TAG = "aws:ecs:serviceName";

  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

  private final EcsState state;
  private final Clock clock;
  private final TaskPlacement placement;
  private final ServiceController controller;
  private final ServiceAnnouncer announcer;
  private final Executor announcing;
  private final ClusterPlacement clusters;
  private final Set<ClusterState> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Creates the scheduler over the state; the controller decides, the announcer attaches tasks on
   * the executor given, after each pass's commands are durable.
   */
  ServiceReconciler(
      EcsState state,
      Clock clock,
      TaskPlacement placement,
      ClusterPlacement clusters,
      ServiceController controller,
      ServiceAnnouncer announcer,
      Executor announcing) {
    this.state = requireNonNull(state);
    this.clock = requireNonNull(clock);
    this.placement = requireNonNull(placement);
    this.clusters = requireNonNull(clusters);
    this.controller = requireNonNull(controller);
    this.announcer = requireNonNull(announcer);
    this.announcing = requireNonNull(announcing);
  }

  /**
   * Reconciles every cluster with services that still need the scheduler (ACTIVE or DRAINING),
   * skipping those whose previous pass has not finished; the future completes when every pass
   * started here is durable and its tasks' registrations are (their drains aside).
   */
  CompletableFuture<Void> reconcileAll() {
    return pass();
  }

  @Override
  public String name() {
    return "service-scheduler";
  }

  @Override
  public CompletableFuture<Void> pass() {
    List<CompletableFuture<?>> passes = new ArrayList<>();
    for (RegionState region : state.regions()) {
      for (ClusterState holder : region.clusters()) {
        if (holder.cluster() == null || !holder.services().anyScheduled()) {
          continue;
        }
        if (!inFlight.add(holder)) {
          continue;
        }
        CompletableFuture<Void> pass =
            holder
                .submit(current -> pass(holder, region, true))
                .thenCompose(done -> holder.submit(current -> pass(holder, region, false)))
                // Announced whether the passes succeeded or not: it follows the committed tasks.
                .handle((done, failure) -> failure)
                .thenComposeAsync(
                    failure -> announce(holder).handle((done, also) -> failure), announcing)
                .thenCompose(
                    failure ->
                        failure == null
                            ? CompletableFuture.<Void>completedFuture(null)
                            : CompletableFuture.<Void>failedFuture(failure))
                .whenComplete((done, failure) -> inFlight.remove(holder));
        passes.add(pass);
      }
    }
    return CompletableFuture.allOf(passes.toArray(CompletableFuture[]::new));
  }

  /** One pass over the cluster's DAEMON or REPLICA services, on the cluster's writer. */
  private CommandResult<Void> pass(ClusterState holder, RegionState region, boolean daemons) {
    long now = clock.millis();
    ClusterChanges changes = new ClusterChanges(holder);
    List<StateRecord> serviceRecords = new ArrayList<>();
    ServiceFleet fleet = new ServiceFleet(holder, region);
    Map<String, TaskBlueprint> blueprints = new HashMap<>();
    Map<String, Resources> placedHere = new HashMap<>();
    PlacementIndex index = null;
    for (Service service : holder.services().all()) {
      if (Service.INACTIVE.equals(service.status()) || service.settings().daemon() != daemons) {
        continue;
      }
      List<Task> tasks = holder.tasks().inGroup(service.group());
      ServiceController.Decision decision;
      TaskBlueprint blueprint = null;
      try {
        decision = controller.decide(service, tasks, fleet, now);
        ServiceDeployment primary = decision.service().primary();
        if (primary != null && (decision.starts() > 0 || !decision.startOn().isEmpty())) {
          blueprint =
              blueprints.computeIfAbsent(
                  primary.taskDefinition(),
                  arn -> TaskBlueprint.of(taskDefinition(region, arn), null));
        }
      } catch (RuntimeException e) {
        // One broken service must not stop the scheduler for the rest of the cluster; nothing of
        // it has been recorded yet, so the next pass tries again.
        LOG.error("service scheduler cannot decide for {}", service.arn(), e);
        continue;
      }
      if (decision.idle(service)) {
        continue;
      }
      for (ServiceController.Stop stop : decision.stops()) {
        changes.put(
            TaskStops.stop(
                holder,
                changes.task(stop.task().arn()),
                ServiceController.STOP_CODE,
                stop.reason(),
                now));
      }
      for (Task drained : decision.drained()) {
        changes.put(TaskStops.drained(holder, changes.task(drained.arn()), now));
      }
      Service updated = decision.service();
      ServiceDeployment primary = updated.primary();
      if (blueprint != null) {
        ServiceEvents events = new ServiceEvents(updated.name(), updated.events(), now);
        TaskBlueprint.Options options = options(updated, primary, blueprint.definition(), holder);
        List<String> started = new ArrayList<>();
        if (decision.starts() > 0) {
          if (index == null) {
            index = clusters.index(holder);
          }
          Placement placed =
              placement.place(placementRequest(updated, blueprint, decision.starts()), index);
          for (String instanceArn : placed.chosen()) {
            Task task = blueprint.instantiate(holder.instances().get(instanceArn), options, now);
            changes.put(task);
            started.add(task.arn());
          }
          if (placed.chosen().size() < decision.starts()) {
            events.unableToPlace(closestMatch(index.activeCount(), placed.failures()));
          }
        }
        for (String instanceArn : decision.startOn()) {
          ContainerInstance instance = holder.instances().get(instanceArn);
          String refusal =
              ClusterPlacement.refusal(holder, instance, blueprint.demand(), placedHere);
          if (refusal != null) {
            events.unableToPlace(
                closestMatch(1, List.of(new Placement.Failure(instanceArn, refusal))));
            continue;
          }
          placedHere.merge(instanceArn, blueprint.demand(), Resources::plus);
          Task task = blueprint.instantiate(instance, options, now);
          changes.put(task);
          started.add(task.arn());
        }
        if (!started.isEmpty()) {
          events.started(started);
        }
        if (events.changed()) {
          updated = updated.withProgress(updated.deployments(), events.events(), updated.steady());
        }
      }
      if (updated != service) {
        serviceRecords.add(EcsRecords.of(updated));
      }
    }
    List<StateRecord> records = new ArrayList<>(changes.records());
    records.addAll(serviceRecords);
    return new CommandResult<>(records, null);
  }

  /**
   * Registers and deregisters the tasks of every service of the cluster as their committed states
   * ask, then records the target events of what it did; the future completes when both are durable.
   */
  private CompletableFuture<Void> announce(ClusterState holder) {
    Map<String, ServiceAnnouncer.Announcement> announced = new HashMap<>();
    List<CompletableFuture<Void>> changes = new ArrayList<>();
    for (Service service : holder.services().all()) {
      ServiceAnnouncer.Announcement announcement =
          announcer.announce(service, holder.tasks().inGroup(service.group()));
      changes.add(announcement.done());
      if (!announcement.none()) {
        announced.put(service.name(), announcement);
      }
    }
    CompletableFuture<Void> done =
        CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
    if (announced.isEmpty()) {
      return done;
    }
    CompletableFuture<Void> recorded =
        holder.submit(
            current -> {
              long now = clock.millis();
              List<StateRecord> records = new ArrayList<>();
              announced.forEach(
                  (name, announcement) -> {
                    Service service = holder.services().get(name);
                    Service told =
                        service == null
                            ? null
                            : ServiceAnnouncer.withTargetEvents(service, announcement, now);
                    if (told != service) {
                      records.add(EcsRecords.of(told));
                    }
                  });
              return new CommandResult<Void>(records, null);
            });
    return CompletableFuture.allOf(done, recorded);
  }

  static TaskDefinition taskDefinition(RegionState region, String arn) {
    String revision = Arn.parse(arn).resourceId();
    int colon = revision.lastIndexOf(':');
    TaskDefinition definition =
        region
            .taskDefinitions()
            .revision(
                revision.substring(0, colon), Integer.parseInt(revision.substring(colon + 1)));
    if (definition == null) {
      throw new IllegalStateException("task definition of a service is gone: " + arn);
    }
    return definition;
  }

  /** Returns how the service's tasks start: group, startedBy the deployment id, tags. */
  private static TaskBlueprint.Options options(
      Service service, ServiceDeployment primary, TaskDefinition definition, ClusterState holder) {
    List<Tag> tags = List.of();
    switch (service.settings().propagateTags()) {
      case "SERVICE" -> tags = service.tags();
      case "TASK_DEFINITION" -> tags = definition.tags();
      default -> {}
    }
    if (service.settings().enableECSManagedTags()) {
      tags =
          Tag.merge(
              tags,
              List.of(new Tag(CLUSTER_TAG, holder.name()), new Tag(SERVICE_TAG, service.name())));
    }
    return new TaskBlueprint.Options(
        service.settings().launchType(),
        primary.id(),
        service.group(),
        tags,
        service.settings().enableExecuteCommand());
  }

  /** Returns what placement is asked for a REPLICA service's new tasks. */
  static PlacementRequest placementRequest(Service service, TaskBlueprint blueprint, int count) {
    return new PlacementRequest(
        blueprint.demand(),
        count,
        service.group(),
        constraints(blueprint.constraints(), service),
        PlacementStrategy.fromShapes(service.settings().placementStrategy(), SERVICE_DEFAULT),
        blueprint.requiredAttributes());
  }

  static List<PlacementConstraint> constraints(
      List<PlacementConstraint> definitions, Service service) {
    List<PlacementConstraint> constraints = new ArrayList<>(definitions);
    constraints.addAll(PlacementConstraint.fromShapes(service.settings().placementConstraints()));
    return constraints;
  }

  /** Returns ECS's explanation of a placement failure, naming the closest matching instance. */
  static String closestMatch(int activeInstances, List<Placement.Failure> failures) {
    if (activeInstances == 0 || failures.isEmpty()) {
      return "Reason: No Container Instances were found in your cluster.";
    }
    Placement.Failure closest = failures.get(0);
    String what =
        switch (closest.reason()) {
          case ResourceFit.CPU -> "has insufficient CPU units available.";
          case ResourceFit.MEMORY -> "has insufficient memory available.";
          case ResourceFit.PORTS, ResourceFit.PORTS_UDP ->
              "is already using a port required by your task.";
          case ResourceFit.ATTRIBUTE -> "is missing an attribute required by your task.";
          case ResourceFit.AGENT -> "has an agent that is not connected.";
          default -> "encountered error \"" + closest.reason() + "\".";
        };
    return "The closest matching (container-instance "
        + ServiceEvents.id(closest.arn())
        + ") "
        + what;
  }

  /**
   * Returns the instances a DAEMON service's task belongs on: the cluster's ACTIVE instances with
   * the attributes its task definition requires that meet its memberOf constraints.
   */
  static List<String> daemonInstances(ClusterState holder, RegionState region, Service service) {
    return ServiceFleet.daemonInstances(holder, region, service);
  }
}
