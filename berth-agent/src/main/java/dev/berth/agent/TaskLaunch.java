package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeFailure;
import dev.berth.agent.runtime.TaskScope;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The first steps of a new task, as ECS's PENDING and ACTIVATING: pulls each container's image by
 * the agent's pull behaviour, provisions the task's volumes and creates its containers, reporting
 * each step. Starting them is {@link DependencyOrder}'s.
 */
final class TaskLaunch {
  private final TaskContainers containers;
  private final TaskScope scope;
  private final String instanceArn;
  private final PullBehavior pullBehavior;
  private final TaskReports reports;
  private final TaskSignals signals;
  private final Clock clock;

  TaskLaunch(
      TaskContainers containers,
      TaskScope scope,
      String instanceArn,
      PullBehavior pullBehavior,
      TaskReports reports,
      TaskSignals signals,
      Clock clock) {
    this.containers = requireNonNull(containers);
    this.scope = requireNonNull(scope);
    this.instanceArn = requireNonNull(instanceArn);
    this.pullBehavior = requireNonNull(pullBehavior);
    this.reports = requireNonNull(reports);
    this.signals = requireNonNull(signals);
    this.clock = requireNonNull(clock);
  }

  /**
   * Pulls the images and creates the containers; returns null once every container exists, else the
   * reason the task must stop. A Docker failure is thrown, with the container's reason set.
   */
  String pullAndCreate() {
    String taskArn = containers.taskArn;
    Instant pullStarted = clock.instant();
    reports.taskPending(taskArn, pullStarted, containers.all());
    for (ContainerRun container : containers.all()) {
      if (signals.stopRequested()) {
        return signals.stopReason();
      }
      step(
          container,
          () ->
              containers.runtime.ensureImage(
                  container.definition.path("image").asText(), pullBehavior, null));
    }
    Instant pullStopped = clock.instant();
    scope.volumes().provision(containers.runtime);
    for (ContainerRun container : containers.all()) {
      ContainerSpec spec =
          step(
              container,
              () -> ContainerSpecs.toSpec(scope, container.definition, containers.ports));
      // The allocator holds these ports from here on, whether or not the create succeeds.
      container.claimed = spec.network().ports();
      container.dockerId =
          step(
              container,
              () ->
                  containers.runtime.create(
                      spec.withLabel(EcsLabels.CONTAINER_INSTANCE, instanceArn)));
    }
    reports.taskActivating(taskArn, pullStarted, pullStopped, containers.all());
    return null;
  }

  /**
   * Runs one Docker step for a container; its failure becomes the container's reason too, as ECS
   * reports e.g. a CannotPullContainerError on the container whose image could not be had.
   */
  static <T> T step(ContainerRun container, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeFailure e) {
      container.reason = e.getMessage();
      throw e;
    }
  }
}
