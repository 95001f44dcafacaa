package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.MetricStore.Resolution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetricStoreTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 3_600_000;
  private static final MetricSeries CPU =
      MetricSeries.of("AWS/ECS", "CPUUtilization", Map.of("ClusterName", "default"));

  @TempDir Path dir;

  @Test
  void pointsOfAMinuteMergeAndRollUpIntoFiveMinutesAndAnHour() {
    try (SqliteMetricStore store = SqliteMetricStore.open(dir.resolve("metrics.db"))) {
      store.put(List.of(MetricPoint.of(CPU, T0, 10), MetricPoint.of(CPU, T0 + 20_000, 30)));
      store.put(List.of(MetricPoint.of(CPU, T0 + 6 * MINUTE, 50)));

      List<MetricPoint> minutes = store.points(CPU, Resolution.MINUTE, T0, T0 + 3_600_000);
      assertThat(minutes).hasSize(2);
      assertThat(minutes.get(0).sampleCount()).isEqualTo(2);
      assertThat(minutes.get(0).average()).isEqualTo(20);
      assertThat(minutes.get(0).minimum()).isEqualTo(10);
      assertThat(minutes.get(0).maximum()).isEqualTo(30);
      List<MetricPoint> fives = store.points(CPU, Resolution.FIVE_MINUTES, T0, T0 + 3_600_000);
      assertThat(fives).extracting(MetricPoint::timestamp).containsExactly(T0, T0 + 5 * MINUTE);
      List<MetricPoint> hours = store.points(CPU, Resolution.HOUR, T0, T0 + 3_600_000);
      assertThat(hours).singleElement().satisfies(h -> assertThat(h.sum()).isEqualTo(90));
    }
  }

  @Test
  void dataSurvivesAReopen() {
    try (SqliteMetricStore store = SqliteMetricStore.open(dir.resolve("metrics.db"))) {
      store.put(List.of(MetricPoint.of(CPU, T0, 42)));
    }
    try (SqliteMetricStore store = SqliteMetricStore.open(dir.resolve("metrics.db"))) {
      assertThat(store.series("AWS/ECS", null, Map.of(), 0, null, 10)).containsExactly(CPU);
      assertThat(store.points(CPU, Resolution.MINUTE, T0, T0 + MINUTE))
          .singleElement()
          .satisfies(p -> assertThat(p.sum()).isEqualTo(42));
    }
  }

  @Test
  void eachResolutionIsKeptAsLongAsCloudWatchKeepsIt() {
    try (SqliteMetricStore store = SqliteMetricStore.open(dir.resolve("metrics.db"))) {
      store.put(List.of(MetricPoint.of(CPU, T0, 1)));

      store.prune(T0 + Duration.ofDays(16).toMillis());
      assertThat(store.points(CPU, Resolution.MINUTE, T0, T0 + MINUTE)).isEmpty();
      assertThat(store.points(CPU, Resolution.FIVE_MINUTES, T0, T0 + MINUTE)).hasSize(1);

      store.prune(T0 + Duration.ofDays(64).toMillis());
      assertThat(store.points(CPU, Resolution.FIVE_MINUTES, T0, T0 + MINUTE)).isEmpty();
      assertThat(store.points(CPU, Resolution.HOUR, T0, T0 + MINUTE)).hasSize(1);

      store.prune(T0 + Duration.ofDays(456).toMillis());
      assertThat(store.points(CPU, Resolution.HOUR, T0, T0 + MINUTE)).isEmpty();
      assertThat(store.seriesCount()).isZero();
    }
  }

  @Test
  void seriesAreListedByNamespaceNameDimensionsAndRecentActivity() {
    MetricSeries service =
        MetricSeries.of(
            "AWS/ECS", "CPUUtilization", Map.of("ClusterName", "default", "ServiceName", "web"));
    MetricSeries custom = MetricSeries.of("Shop", "Orders", Map.of());
    try (SqliteMetricStore store = SqliteMetricStore.open(dir.resolve("metrics.db"))) {
      store.put(
          List.of(
              MetricPoint.of(CPU, T0, 1),
              MetricPoint.of(service, T0 + 10 * MINUTE, 1),
              MetricPoint.of(custom, T0, 1)));

      assertThat(store.series("AWS/ECS", "CPUUtilization", Map.of(), 0, null, 10))
          .containsExactlyInAnyOrder(CPU, service);
      assertThat(
              store.series(
                  null, null, java.util.Collections.singletonMap("ServiceName", null), 0, null, 10))
          .containsExactly(service);
      assertThat(store.series(null, null, Map.of(), T0 + MINUTE, null, 10))
          .containsExactly(service);
      List<MetricSeries> first = store.series(null, null, Map.of(), 0, null, 2);
      assertThat(first).hasSize(2);
      assertThat(store.series(null, null, Map.of(), 0, first.get(1).key(), 2)).hasSize(1);
    }
  }
}
