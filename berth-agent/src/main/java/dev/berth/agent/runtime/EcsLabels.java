package dev.berth.agent.runtime;

/** The Docker labels the ECS agent puts on every container, by which it finds them again. */
public final class EcsLabels {
  /** The cluster name. */
  public static final String CLUSTER = "com.amazonaws.ecs.cluster";

  /** The task ARN. */
  public static final String TASK_ARN = "com.amazonaws.ecs.task-arn";

  /** The container's name in the task definition. */
  public static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";

  /** The task definition family. */
  public static final String FAMILY = "com.amazonaws.ecs.task-definition-family";

  /** The task definition revision. */
  public static final String VERSION = "com.amazonaws.ecs.task-definition-version";

  /**
   * Berth's own label, beside ECS's: the container instance whose agent created the container, so
   * that an agent cleans up only its own leftovers when several share a Docker engine.
   */
  public static final String CONTAINER_INSTANCE = "dev.berth.container-instance";

  private EcsLabels() {}
}
