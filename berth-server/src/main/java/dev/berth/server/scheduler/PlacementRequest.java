package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.Resources;
import java.util.List;

/**
 * What is to be placed: how many tasks, what each one reserves, the task group they join, the
 * constraints they must meet (the task definition's and the request's together), the strategies
 * that order the instances that meet them, and the attributes the task definition requires.
 */
public record PlacementRequest(
    Resources demand,
    int count,
    String group,
    List<PlacementConstraint> constraints,
    List<PlacementStrategy> strategies,
    List<Attribute> requiredAttributes) {
  /** Creates a request; lists are copied, and no strategy means RunTask's default. */
  public PlacementRequest {
    requireNonNull(demand);
    requireNonNull(group);
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    constraints = List.copyOf(constraints);
    strategies =
        strategies.isEmpty() ? PlacementStrategy.RUN_TASK_DEFAULT : List.copyOf(strategies);
    requiredAttributes = List.copyOf(requiredAttributes);
  }
}
