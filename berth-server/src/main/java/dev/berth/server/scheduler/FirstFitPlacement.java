package dev.berth.server.scheduler;

import dev.berth.server.state.ContainerInstance;
import dev.berth.server.state.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Places each task on the first candidate, in the order given, that is ACTIVE, has its agent
 * connected and has the CPU, memory and host ports left. Constraints and strategies are accepted
 * and not applied; the scheduler that replaces this class applies them.
 */
public final class FirstFitPlacement implements TaskPlacement {
  @Override
  public Placement place(PlacementRequest request, List<Candidate> candidates) {
    List<String> chosen = new ArrayList<>();
    Map<String, Resources> placedHere = new HashMap<>();
    Set<Placement.Failure> failures = new LinkedHashSet<>();
    for (int task = 0; task < request.count(); task++) {
      List<Placement.Failure> refusals = new ArrayList<>();
      String pick = null;
      for (Candidate candidate : candidates) {
        if (!ContainerInstance.ACTIVE.equals(candidate.status())) {
          continue;
        }
        if (!candidate.agentConnected()) {
          refusals.add(new Placement.Failure(candidate.arn(), ResourceFit.AGENT));
          continue;
        }
        Resources reserved =
            candidate.reserved().plus(placedHere.getOrDefault(candidate.arn(), Resources.NONE));
        String shortfall =
            ResourceFit.shortfall(request.demand(), candidate.registered(), reserved);
        if (shortfall == null) {
          pick = candidate.arn();
          break;
        }
        refusals.add(new Placement.Failure(candidate.arn(), shortfall));
      }
      if (pick == null) {
        // Every later task asks for the same: it would be refused for the same reasons.
        failures.addAll(refusals);
        break;
      }
      chosen.add(pick);
      placedHere.merge(pick, request.demand(), Resources::plus);
    }
    return new Placement(chosen, List.copyOf(failures));
  }
}
