package dev.berth.agent.runtime;

import java.util.List;
import java.util.Map;

/** A container as listed: enough for the agent to adopt or clean up what it finds. */
public record ContainerSummary(
    String id,
    String name,
    Map<String, String> labels,
    ContainerState state,
    List<PortBinding> ports) {
  /** Copies the collections. */
  public ContainerSummary {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
  }
}
