package dev.berth.agent.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What Docker says about a container now: its state, exit code, times, health, whether the kernel
 * killed it for memory, the daemon's error and the host ports it is actually published on.
 */
public record ContainerStatus(
    String id,
    String name,
    ContainerState state,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    HealthStatus health,
    boolean oomKilled,
    String error,
    List<PortBinding> ports,
    Map<String, String> labels) {
  /** Copies the collections. */
  public ContainerStatus {
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
  }
}
