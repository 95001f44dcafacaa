package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.state.Resources;

/**
 * What is to be placed: how many tasks, what each one reserves, and the placement constraints and
 * strategy of the request (ECS shapes; the first-fit placement accepts them and does not apply them
 * yet).
 */
public record PlacementRequest(
    Resources demand, int count, JsonNode constraints, JsonNode strategy) {
  /** Creates a request; absent constraints and strategy are empty lists. */
  public PlacementRequest {
    requireNonNull(demand);
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    constraints = constraints == null ? Json.array() : constraints;
    strategy = strategy == null ? Json.array() : strategy;
  }
}
