package dev.berth.server.scheduler;

import java.util.List;

/**
 * Chooses the container instances new tasks run on. The cluster's writer calls it with the
 * cluster's instances as they are at that moment and records the tasks on the instances chosen in
 * the same command, so placement and reservation are one step and never overbook an instance.
 */
public interface TaskPlacement {
  /**
   * Returns an instance for each task that can be placed (at most {@code request.count()}, in
   * placement order; an instance may be chosen more than once) and, if some could not, why each
   * candidate was refused, with ECS's failure reasons (AGENT, RESOURCE:CPU, RESOURCE:MEMORY,
   * RESOURCE:PORTS, RESOURCE:PORTS_UDP).
   */
  Placement place(PlacementRequest request, List<Candidate> candidates);
}
