package dev.berth.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.berth.server.controller.Controller;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.metrics.ContainerSamples.TaskUsage;
import dev.berth.store.MetricPoint;
import dev.berth.store.MetricStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The controller that turns agents' samples into ECS's metrics once a metrics minute: it drains the
 * samples, lets {@link EcsMetrics} decide each cluster's points from the committed state, and puts
 * them in the metric store. It changes no ECS state, so it issues no commands.
 */
public final class EcsMetricsController implements Controller {
  private final EcsState state;
  private final ContainerSamples samples;
  private final MetricStore store;
  private final Clock clock;
  private final Duration minute;

  /**
   * Creates the controller; its passes are meant to run every {@code minute} (a minute, or less in
   * tests), and each pass's points are stamped with the minute the samples came in.
   */
  public EcsMetricsController(
      EcsState state, ContainerSamples samples, MetricStore store, Clock clock, Duration minute) {
    this.state = requireNonNull(state);
    this.samples = requireNonNull(samples);
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
    this.minute = requireNonNull(minute);
  }

  @Override
  public String name() {
    return "berth-ecs-metrics";
  }

  @Override
  public CompletableFuture<Void> pass() {
    Map<String, TaskUsage> usage = samples.drain();
    // The samples arrived during the interval that just ended: stamp them with its minute.
    long timestamp = MetricStore.Resolution.MINUTE.floor(clock.millis() - minute.toMillis());
    List<MetricPoint> points = new ArrayList<>();
    for (RegionState region : state.regions()) {
      for (ClusterState cluster : region.clusters()) {
        points.addAll(
            EcsMetrics.points(
                cluster.name(),
                cluster.instances().all(),
                cluster.tasks().all(),
                usage,
                timestamp));
      }
    }
    store.put(points);
    return CompletableFuture.completedFuture(null);
  }
}
