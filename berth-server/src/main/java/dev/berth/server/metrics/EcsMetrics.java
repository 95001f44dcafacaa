package dev.berth.server.metrics;

import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.metrics.ContainerSamples.TaskUsage;
import dev.berth.store.MetricPoint;
import dev.berth.store.MetricSeries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides a cluster's {@code AWS/ECS} data points for one minute from its committed state and its
 * tasks' use, as ECS computes them: CPUUtilization and MemoryUtilization by ClusterName and by
 * ClusterName and ServiceName, one sample per RUNNING task, and CPUReservation and
 * MemoryReservation by ClusterName. Pure: it reads what it is given and changes nothing.
 */
public final class EcsMetrics {
  /** The namespace of ECS's metrics. */
  public static final String NAMESPACE = "AWS/ECS";

  private static final String PERCENT = "Percent";
  private static final String SERVICE_GROUP = "service:";

  private EcsMetrics() {}

  /**
   * Returns the cluster's points for the minute starting at the timestamp; none when no task of the
   * cluster is RUNNING with samples from its own instance's agent, as ECS emits nothing for a
   * cluster without RUNNING tasks. Only ACTIVE and DRAINING instances count.
   */
  public static List<MetricPoint> points(
      String clusterName,
      Collection<ContainerInstance> instances,
      Collection<Task> tasks,
      Map<String, TaskUsage> usage,
      long timestamp) {
    Map<String, ContainerInstance> counted = new HashMap<>();
    long registeredCpu = 0;
    long registeredMemory = 0;
    for (ContainerInstance instance : instances) {
      if (ContainerInstance.ACTIVE.equals(instance.status())
          || ContainerInstance.DRAINING.equals(instance.status())) {
        counted.put(instance.arn(), instance);
        registeredCpu += instance.registeredResources().cpu();
        registeredMemory += instance.registeredResources().memory();
      }
    }
    long reservedCpu = 0;
    long reservedMemory = 0;
    double usedCpu = 0;
    double usedMemory = 0;
    int sampled = 0;
    Map<String, List<double[]>> byService = new TreeMap<>();
    for (Task task : tasks) {
      if (!counted.containsKey(task.containerInstanceArn())) {
        continue;
      }
      if (task.holdsReservation()) {
        reservedCpu += task.spec().reservation().cpu();
        reservedMemory += task.spec().reservation().memory();
      }
      TaskUsage used = usage.get(task.arn());
      if (!"RUNNING".equals(task.lastStatus())
          || used == null
          || !used.instanceArn().equals(task.containerInstanceArn())) {
        continue;
      }
      sampled++;
      usedCpu += used.cpuUnits();
      usedMemory += used.memoryMiB();
      String group = task.spec().group();
      if (group.startsWith(SERVICE_GROUP)) {
        int cpu = size(task.spec().cpu(), task.spec().reservation().cpu());
        int memory = size(task.spec().memory(), task.spec().reservation().memory());
        // A task that reserves no CPU has no utilization relative to its reservation.
        byService
            .computeIfAbsent(group.substring(SERVICE_GROUP.length()), s -> new ArrayList<>())
            .add(
                new double[] {
                  cpu > 0 ? used.cpuUnits() * 100 / cpu : Double.NaN,
                  memory > 0 ? used.memoryMiB() * 100 / memory : Double.NaN
                });
      }
    }
    List<MetricPoint> points = new ArrayList<>();
    if (sampled == 0) {
      return points;
    }
    Map<String, String> cluster = Map.of("ClusterName", clusterName);
    if (registeredCpu > 0) {
      points.add(
          spread(
              series("CPUUtilization", cluster),
              timestamp,
              usedCpu * 100 / registeredCpu,
              sampled));
      points.add(
          MetricPoint.of(
              series("CPUReservation", cluster), timestamp, reservedCpu * 100.0 / registeredCpu));
    }
    if (registeredMemory > 0) {
      points.add(
          spread(
              series("MemoryUtilization", cluster),
              timestamp,
              usedMemory * 100 / registeredMemory,
              sampled));
      points.add(
          MetricPoint.of(
              series("MemoryReservation", cluster),
              timestamp,
              reservedMemory * 100.0 / registeredMemory));
    }
    byService.forEach(
        (service, perTask) -> {
          Map<String, String> dimensions =
              Map.of("ClusterName", clusterName, "ServiceName", service);
          addSet(points, series("CPUUtilization", dimensions), timestamp, perTask, 0);
          addSet(points, series("MemoryUtilization", dimensions), timestamp, perTask, 1);
        });
    return points;
  }

  /** Returns a point of n samples that all had the value: the cluster's figure, once a task. */
  private static MetricPoint spread(MetricSeries series, long timestamp, double value, int n) {
    return new MetricPoint(series, timestamp, n, value * n, value, value);
  }

  private static void addSet(
      List<MetricPoint> points,
      MetricSeries series,
      long timestamp,
      List<double[]> perTask,
      int index) {
    int count = 0;
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double[] figures : perTask) {
      double value = figures[index];
      if (Double.isNaN(value)) {
        continue;
      }
      count++;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    if (count > 0) {
      points.add(new MetricPoint(series, timestamp, count, sum, min, max));
    }
  }

  private static MetricSeries series(String name, Map<String, String> dimensions) {
    return new MetricSeries(NAMESPACE, name, new TreeMap<>(dimensions), PERCENT);
  }

  /** Returns the task-level size if the task has one, else what its containers reserve. */
  private static int size(String taskLevel, int reserved) {
    if (taskLevel != null) {
      try {
        return Integer.parseInt(taskLevel.trim());
      } catch (NumberFormatException e) {
        // Task-level sizes are stored as ECS answers them, in units; anything else falls back.
      }
    }
    return reserved;
  }
}
