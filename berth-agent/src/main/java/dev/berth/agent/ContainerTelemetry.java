package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerState;
import dev.berth.agent.runtime.ContainerStats;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the CPU and memory of the instance's running task containers from the engine's stats and
 * publishes what it gathered over the agent channel, as the ECS agent publishes its container
 * metrics: CPU as the usage delta over the wall-clock delta between two readings, memory as usage
 * less page cache, each publish carrying the minimum, maximum, sum and count of the unsent samples.
 */
final class ContainerTelemetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerTelemetry.class);

  /**
   * How many unsent samples a container keeps; older ones are dropped while the channel is down.
   */
  static final int MAX_SAMPLES = 60;

  /** The ECS agent's publish interval ({@code DefaultContainerMetricsPublishInterval}). */
  static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(20);

  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  private final String cluster;
  private final String instanceArn;
  private final ContainerRuntime runtime;
  private final Predicate<ObjectNode> channel;
  // Keyed by task ARN, then container name; touched only under this object's monitor.
  private final Map<String, Map<String, ContainerSeries>> series = new TreeMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("berth-agent-telemetry").factory());
  private final ExecutorService readers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-stats-", 0).factory());

  /**
   * Creates telemetry for the instance's containers that sends each report through the channel,
   * which returns false when it could not send it (the samples are then kept for the next).
   */
  ContainerTelemetry(
      String cluster, String instanceArn, ContainerRuntime runtime, Predicate<ObjectNode> channel) {
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.runtime = requireNonNull(runtime);
    this.channel = requireNonNull(channel);
  }

  /**
   * Starts sampling about four times a publish interval (at most every 5 s, as often as needed for
   * at least two readings a publish) and publishing every interval.
   */
  void start(Duration publishInterval) {
    long publishMillis = publishInterval.toMillis();
    long sampleMillis = Math.clamp(publishMillis / 4, 250, 5_000);
    timer.scheduleWithFixedDelay(
        () -> runQuietly(this::sample), 0, sampleMillis, TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(
        () -> runQuietly(this::publish), publishMillis, publishMillis, TimeUnit.MILLISECONDS);
  }

  /** Reads every running task container's counters once, in parallel, and queues the samples. */
  void sample() {
    Map<String, ContainerSummary> running = new HashMap<>();
    for (ContainerSummary container :
        runtime.list(
            Map.of(EcsLabels.CLUSTER, cluster, EcsLabels.CONTAINER_INSTANCE, instanceArn))) {
      if (container.state() == ContainerState.RUNNING
          && container.labels().get(EcsLabels.TASK_ARN) != null
          && container.labels().get(EcsLabels.CONTAINER_NAME) != null) {
        running.put(container.id(), container);
      }
    }
    Map<String, Future<ContainerStats>> reads = new HashMap<>();
    running.forEach((id, container) -> reads.put(id, readers.submit(() -> runtime.stats(id))));
    Map<String, ContainerStats> readings = new HashMap<>();
    reads.forEach(
        (id, read) -> {
          ContainerStats stats = await(read);
          if (stats != null) {
            readings.put(id, stats);
          }
        });
    synchronized (this) {
      // A container that stopped stays until what it had not yet sent is sent.
      series
          .values()
          .forEach(
              byName ->
                  byName.values().removeIf(s -> !running.containsKey(s.id) && s.samples.isEmpty()));
      series.values().removeIf(Map::isEmpty);
      readings.forEach(
          (id, stats) -> {
            ContainerSummary container = running.get(id);
            series
                .computeIfAbsent(container.labels().get(EcsLabels.TASK_ARN), arn -> new TreeMap<>())
                .computeIfAbsent(
                    container.labels().get(EcsLabels.CONTAINER_NAME), n -> new ContainerSeries(id))
                .add(id, stats);
          });
    }
  }

  /** Sends the unsent samples as one message; they are dropped once sent, kept if not. */
  void publish() {
    ObjectNode message;
    synchronized (this) {
      message = report();
    }
    if (message == null || !channel.test(message)) {
      return;
    }
    synchronized (this) {
      for (Map<String, ContainerSeries> byName : series.values()) {
        byName.values().forEach(ContainerSeries::sent);
      }
    }
  }

  /** Returns the metrics message of the unsent samples, or null if there are none. */
  synchronized ObjectNode report() {
    ObjectNode message = Json.object();
    message.put("type", AgentChannel.METRICS);
    ArrayNode tasks = message.putArray("tasks");
    series.forEach(
        (taskArn, byName) -> {
          ArrayNode containers = null;
          for (Map.Entry<String, ContainerSeries> entry : byName.entrySet()) {
            ContainerSeries container = entry.getValue();
            if (container.samples.isEmpty()) {
              continue;
            }
            if (containers == null) {
              ObjectNode task = tasks.addObject();
              task.put("taskArn", taskArn);
              containers = task.putArray("containers");
            }
            ObjectNode node = containers.addObject();
            node.put("name", entry.getKey());
            statsSet(node.putObject("cpu"), container.samples, Sample::cpuUnits);
            statsSet(node.putObject("memory"), container.samples, Sample::memoryMiB);
            container.reported = container.samples.size();
          }
        });
    return tasks.isEmpty() ? null : message;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    readers.shutdownNow();
  }

  private static void statsSet(
      ObjectNode node, List<Sample> samples, ToDoubleFunction<Sample> value) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    for (Sample sample : samples) {
      double v = value.applyAsDouble(sample);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    node.put("min", min);
    node.put("max", max);
    node.put("sum", sum);
    node.put("sampleCount", samples.size());
  }

  private static ContainerStats await(Future<ContainerStats> read) {
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      // A container that stops mid-read has no sample this time; nothing else is wrong.
      LOG.debug("reading container stats failed: {}", e.getCause().toString());
      return null;
    }
  }

  private static void runQuietly(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("container telemetry failed: {}", e.toString());
    }
  }

  /**
   * One derived sample: CPU units in use (1024 a core, so 100% of one core is 1024) and memory in
   * use in MiB.
   */
  record Sample(double cpuUnits, double memoryMiB) {}

  /** A container's last reading and its unsent samples, bounded by {@link #MAX_SAMPLES}. */
  private static final class ContainerSeries {
    String id;
    final List<Sample> samples = new ArrayList<>();
    ContainerStats last;
    int reported;

    ContainerSeries(String id) {
      this.id = id;
    }

    void add(String containerId, ContainerStats stats) {
      ContainerStats previous = containerId.equals(id) ? last : null;
      id = containerId;
      last = stats;
      if (previous == null) {
        return;
      }
      long wallNanos = Duration.between(previous.read(), stats.read()).toNanos();
      long cpuNanos = stats.cpuTotalNanos() - previous.cpuTotalNanos();
      // The ECS agent divides by the wall-clock time between the two readings; a counter that went
      // backwards (the container restarted) or a repeated reading yields no sample.
      if (wallNanos <= 0 || cpuNanos < 0) {
        return;
      }
      double cpuUnits = cpuNanos * 1024.0 / wallNanos;
      samples.add(new Sample(cpuUnits, stats.memoryInUseBytes() / BYTES_PER_MIB));
      if (samples.size() > MAX_SAMPLES) {
        samples.remove(0);
        reported = Math.max(0, reported - 1);
      }
    }

    void sent() {
      samples.subList(0, Math.min(reported, samples.size())).clear();
      reported = 0;
    }
  }
}
