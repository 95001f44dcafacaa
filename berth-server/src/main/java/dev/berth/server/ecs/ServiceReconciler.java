package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.server.controller.ServiceController;
import dev.berth.server.controller.ServiceEvents;
import dev.berth.server.scheduler.Placement;
import dev.berth.server.scheduler.PlacementConstraint;
import dev.berth.server.scheduler.PlacementIndex;
import dev.berth.server.scheduler.PlacementRequest;
import dev.berth.server.scheduler.PlacementStrategy;
import dev.berth.server.scheduler.ResourceFit;
import dev.berth.server.scheduler.TaskPlacement;
import dev.berth.server.scheduler.query.ContainerInstanceView;
import dev.berth.server.state.Attribute;
import dev.berth.server.state.ClusterState;
import dev.berth.server.state.CommandResult;
import dev.berth.server.state.ContainerInstance;
import dev.berth.server.state.EcsState;
import dev.berth.server.state.EntityRecord;
import dev.berth.server.state.RegionState;
import dev.berth.server.state.Resources;
import dev.berth.server.state.Service;
import dev.berth.server.state.ServiceDeployment;
import dev.berth.server.state.StateRecord;
import dev.berth.server.state.Tag;
import dev.berth.server.state.Task;
import dev.berth.server.state.TaskDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service scheduler: for each cluster with services, one command of the cluster's writer
 * asks the {@link ServiceController} what each service needs, places the tasks to start through the
 * cluster's placement, asks the tasks to stop, and records the tasks and services changed, so that
 * placement, reservation and the service's progress are one step. DAEMON services are reconciled in
 * a command of their own before the REPLICA ones, so each sees the other's placements.
 */
final class ServiceReconciler {
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
  // One index per cluster, kept between passes and used only by that cluster's writer.
  private final Map<ClusterState, PlacementIndex> indexes = new ConcurrentHashMap<>();
  private final Set<ClusterState> inFlight = ConcurrentHashMap.newKeySet();

  ServiceReconciler(
      EcsState state, Clock clock, TaskPlacement placement, ServiceController controller) {
    this.state = requireNonNull(state);
    this.clock = requireNonNull(clock);
    this.placement = requireNonNull(placement);
    this.controller = requireNonNull(controller);
  }

  /**
   * Reconciles every cluster with services that still need the scheduler (ACTIVE or DRAINING),
   * skipping those whose previous pass has not finished; the future completes when every pass
   * started here is durable.
   */
  CompletableFuture<Void> reconcileAll() {
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
    Fleet fleet = new Fleet(holder, region);
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
            index = indexes.computeIfAbsent(holder, key -> new PlacementIndex());
            index.sync(holder);
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
          String refusal = fleet.refusal(instance, blueprint.demand(), placedHere);
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
        serviceRecords.add(EntityRecord.of(updated));
      }
    }
    List<StateRecord> records = new ArrayList<>(changes.records());
    records.addAll(serviceRecords);
    return new CommandResult<>(records, null);
  }

  private static TaskDefinition taskDefinition(RegionState region, String arn) {
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
        PlacementStrategy.fromJson(service.settings().placementStrategy(), SERVICE_DEFAULT),
        blueprint.requiredAttributes());
  }

  private static List<PlacementConstraint> constraints(
      List<PlacementConstraint> definitions, Service service) {
    List<PlacementConstraint> constraints = new ArrayList<>(definitions);
    constraints.addAll(PlacementConstraint.fromJson(service.settings().placementConstraints()));
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
    ServiceDeployment primary = service.primary();
    if (primary == null) {
      return List.of();
    }
    TaskBlueprint blueprint =
        TaskBlueprint.of(taskDefinition(region, primary.taskDefinition()), null);
    List<PlacementConstraint> constraints = constraints(blueprint.constraints(), service);
    List<Attribute> required = blueprint.requiredAttributes();
    List<String> targets = new ArrayList<>();
    for (ContainerInstance instance : holder.instances().all()) {
      if (!ContainerInstance.ACTIVE.equals(instance.status())) {
        continue;
      }
      ContainerInstanceView view = new ContainerInstanceView(holder, instance);
      boolean fits = true;
      for (Attribute attribute : required) {
        fits &=
            view.hasAttribute(attribute.name())
                && (attribute.value() == null
                    || attribute.value().equals(view.attribute(attribute.name())));
      }
      for (PlacementConstraint constraint : constraints) {
        fits &= constraint.distinctInstance() || constraint.admits(view);
      }
      if (fits) {
        targets.add(instance.arn());
      }
    }
    return targets;
  }

  /** The cluster around a service, read from the cluster's state on its writer. */
  private static final class Fleet implements ServiceController.Fleet {
    private final ClusterState holder;
    private final RegionState region;

    Fleet(ClusterState holder, RegionState region) {
      this.holder = holder;
      this.region = region;
    }

    @Override
    public boolean draining(String instanceArn) {
      ContainerInstance instance = holder.instances().get(instanceArn);
      return instance != null && ContainerInstance.DRAINING.equals(instance.status());
    }

    @Override
    public List<String> daemonInstances(Service service) {
      return ServiceReconciler.daemonInstances(holder, region, service);
    }

    @Override
    public boolean onlyDaemonTasksLeft(String instanceArn) {
      for (Task task : holder.tasks().activeOn(instanceArn)) {
        String group = task.spec().group();
        Service owner =
            group.startsWith("service:")
                ? holder.services().get(group.substring("service:".length()))
                : null;
        if (owner == null || !owner.settings().daemon()) {
          return false;
        }
      }
      return true;
    }

    /** Returns why a daemon task cannot start on the instance now, or null if it can. */
    String refusal(
        ContainerInstance instance, Resources demand, Map<String, Resources> placedHere) {
      if (instance == null || !ContainerInstance.ACTIVE.equals(instance.status())) {
        return instance == null ? "MISSING" : instance.status();
      }
      if (!holder.instances().agentConnected(instance.arn())) {
        return ResourceFit.AGENT;
      }
      Resources reserved =
          holder
              .tasks()
              .reservedOn(instance.arn())
              .plus(placedHere.getOrDefault(instance.arn(), Resources.NONE));
      return ResourceFit.shortfall(demand, instance.registeredResources(), reserved);
    }
  }
}
