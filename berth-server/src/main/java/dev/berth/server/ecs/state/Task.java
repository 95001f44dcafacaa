package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An ECS task as stored: what it was started as ({@link TaskSpec}), where it is in its lifecycle
 * ({@link TaskLifecycle}), its containers, its tags and its version, which counts the changes ECS
 * would report as task state change events.
 */
public record Task(
    TaskSpec spec,
    TaskLifecycle lifecycle,
    List<TaskContainer> containers,
    List<Tag> tags,
    long version) {

  /** Creates a task record; lists are copied. */
  public Task {
    requireNonNull(spec);
    requireNonNull(lifecycle);
    containers = List.copyOf(containers);
    tags = List.copyOf(tags);
  }

  /** Returns the task's ARN. */
  public String arn() {
    return spec.arn();
  }

  /** Returns the ARN of the container instance the task is placed on. */
  public String containerInstanceArn() {
    return spec.containerInstanceArn();
  }

  /** Returns the task's last status. */
  public String lastStatus() {
    return lifecycle.lastStatus();
  }

  /** Returns the task's desired status. */
  public String desiredStatus() {
    return lifecycle.desiredStatus();
  }

  /**
   * Returns true while the task's lastStatus is DEACTIVATING: the server is draining it from its
   * load balancers, and its agent keeps it running even if its desired status is STOPPED.
   */
  public boolean deactivating() {
    return TaskLifecycle.DEACTIVATING.equals(lifecycle.lastStatus());
  }

  /** Returns true until the task has STOPPED: only then are its resources free again. */
  public boolean holdsReservation() {
    return !lifecycle.hasStopped();
  }

  /** Returns the container of that name, or null. */
  public TaskContainer container(String name) {
    for (TaskContainer container : containers) {
      if (container.name().equals(name)) {
        return container;
      }
    }
    return null;
  }

  /**
   * Returns the task with a new lifecycle and containers, one version on, or this task if neither
   * changed, so that a repeated report writes nothing.
   */
  public Task changed(TaskLifecycle newLifecycle, List<TaskContainer> newContainers) {
    if (newLifecycle.equals(lifecycle) && newContainers.equals(containers)) {
      return this;
    }
    return new Task(spec, newLifecycle, newContainers, tags, version + 1);
  }

  /** Returns a copy with other tags; tags are not a state change, so the version stays. */
  public Task withTags(List<Tag> newTags) {
    return new Task(spec, lifecycle, containers, newTags, version);
  }
}
