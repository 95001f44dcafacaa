package dev.berth.agent.runtime;

import java.time.Instant;

/**
 * One reading of a running container's resource counters, as the Docker Engine's stats report it.
 *
 * @param read when the engine read the counters
 * @param cpuTotalNanos the CPU time all the container's processes used since it started, in ns
 * @param memoryUsageBytes the memory the container's cgroup charges, page cache included
 * @param memoryCacheBytes the page cache within that usage: {@code cache} under cgroup v1, {@code
 *     inactive_file} under cgroup v2, as the ECS agent subtracts them
 */
public record ContainerStats(
    Instant read, long cpuTotalNanos, long memoryUsageBytes, long memoryCacheBytes) {

  /** Returns the memory the container really uses: its usage less the page cache. */
  public long memoryInUseBytes() {
    return Math.max(0, memoryUsageBytes - memoryCacheBytes);
  }
}
