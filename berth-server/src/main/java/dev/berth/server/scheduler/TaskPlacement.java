package dev.berth.server.scheduler;

/**
 * Chooses the container instances new tasks run on. The cluster's writer calls it with the
 * cluster's placement index brought up to date and records the tasks on the instances chosen in the
 * same command, so placement and reservation are one step and never overbook an instance.
 */
public interface TaskPlacement {
  /**
   * Returns an instance for each task that can be placed (at most {@code request.count()}, in
   * placement order; an instance may be chosen more than once) and, if some could not, why each
   * ACTIVE instance was refused, with ECS's failure reasons. The index is updated with each task
   * placed.
   */
  Placement place(PlacementRequest request, PlacementIndex index);
}
