package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

/**
 * A container instance's version counter on its own: ECS moves an instance one version on whenever
 * a task placed on it starts or stops holding resources there, and writing the whole instance
 * record (mostly its attributes) for each such move would cost as much as the task itself. The
 * instance's version is the larger of its record's and this one's.
 */
public record InstanceVersion(String arn, long version) {
  /** Creates a version for the instance with that ARN. */
  public InstanceVersion {
    requireNonNull(arn);
  }
}
