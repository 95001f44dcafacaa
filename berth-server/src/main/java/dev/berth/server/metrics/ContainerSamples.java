package dev.berth.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The container CPU and memory samples agents sent since the metrics were last aggregated, summed
 * per task and container; the aggregation drains them once a minute.
 */
public final class ContainerSamples {
  /** At most this many tasks are kept between two aggregations; more are dropped. */
  static final int MAX_TASKS = 200_000;

  /**
   * A task's use over the period drained: the CPU units and MiB its containers used together, on
   * average over their samples, and the instance whose agent reported it.
   */
  public record TaskUsage(String instanceArn, double cpuUnits, double memoryMiB) {}

  private static final class Sums {
    double cpuSum;
    double cpuCount;
    double memorySum;
    double memoryCount;
  }

  private record TaskSums(String instanceArn, Map<String, Sums> containers) {}

  private Map<String, TaskSums> tasks = new HashMap<>();

  /**
   * Adds an agent's metrics message (see {@link dev.berth.api.agent.AgentChannel#METRICS}) from the
   * channel of the instance given; malformed entries are skipped.
   */
  public synchronized void add(String instanceArn, JsonNode message) {
    for (JsonNode task : message.path("tasks")) {
      String taskArn = task.path("taskArn").asText(null);
      if (taskArn == null || (!tasks.containsKey(taskArn) && tasks.size() >= MAX_TASKS)) {
        continue;
      }
      TaskSums sums =
          tasks.computeIfAbsent(taskArn, arn -> new TaskSums(instanceArn, new HashMap<>()));
      if (!sums.instanceArn().equals(instanceArn)) {
        continue;
      }
      for (JsonNode container : task.path("containers")) {
        String name = container.path("name").asText(null);
        JsonNode cpu = container.path("cpu");
        JsonNode memory = container.path("memory");
        if (name == null || !valid(cpu) || !valid(memory)) {
          continue;
        }
        Sums into = sums.containers().computeIfAbsent(name, n -> new Sums());
        into.cpuSum += cpu.path("sum").asDouble();
        into.cpuCount += cpu.path("sampleCount").asDouble();
        into.memorySum += memory.path("sum").asDouble();
        into.memoryCount += memory.path("sampleCount").asDouble();
      }
    }
  }

  /** Returns each task's use since the last drain, and starts afresh. */
  public Map<String, TaskUsage> drain() {
    Map<String, TaskSums> drained;
    synchronized (this) {
      drained = tasks;
      tasks = new HashMap<>();
    }
    Map<String, TaskUsage> usage = new HashMap<>();
    drained.forEach(
        (taskArn, sums) -> {
          double cpu = 0;
          double memory = 0;
          for (Sums container : sums.containers().values()) {
            cpu += container.cpuSum / container.cpuCount;
            memory += container.memorySum / container.memoryCount;
          }
          if (!sums.containers().isEmpty()) {
            usage.put(taskArn, new TaskUsage(sums.instanceArn(), cpu, memory));
          }
        });
    return usage;
  }

  private static boolean valid(JsonNode set) {
    double sum = set.path("sum").asDouble(Double.NaN);
    double count = set.path("sampleCount").asDouble(Double.NaN);
    return Double.isFinite(sum) && sum >= 0 && Double.isFinite(count) && count >= 1;
  }
}
