package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * ECS's metrics from real containers: a service whose busybox task burns CPU shows, through
 * CloudWatch's GetMetricStatistics, the CPU utilization {@code docker stats} shows for its
 * container, relative to the task's CPU reservation.
 */
class EcsMetricsTest {
  /** The task's CPU reservation: half a core. */
  private static final int TASK_CPU = 512;

  private static LocalBerth berth;
  private static CloudWatchClient cloudWatch;

  @BeforeAll
  static void start() {
    // A 5-second metrics minute: points still land in real minutes, but arrive quickly.
    berth = LocalBerth.startWithMetricsMinute(Duration.ofSeconds(5));
    cloudWatch = berth.cloudWatch();
  }

  @AfterAll
  static void stop() {
    if (cloudWatch != null) {
      cloudWatch.close();
    }
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void aCpuBurningServiceShowsTheUtilizationDockerStatsShows() throws Exception {
    String burner =
        berth.register(
            "burn",
            berth
                .container("burner")
                .cpu(TASK_CPU)
                .memory(64)
                .entryPoint("sh", "-c")
                .command("while :; do :; done"));
    berth
        .ecs()
        .createService(
            r ->
                r.cluster(berth.cluster())
                    .serviceName("burn")
                    .taskDefinition(burner)
                    .desiredCount(1));
    Task task =
        await()
            .atMost(LocalBerth.PATIENCE)
            .until(
                () ->
                    berth
                        .ecs()
                        .listTasks(r -> r.cluster(berth.cluster()).serviceName("burn"))
                        .taskArns()
                        .stream()
                        .map(berth::describe)
                        .filter(t -> "RUNNING".equals(t.lastStatus()))
                        .findFirst()
                        .orElse(null),
                t -> t != null);
    String containerId = task.containers().get(0).runtimeId();
    Dimension cluster = Dimension.builder().name("ClusterName").value(berth.cluster()).build();
    Dimension service = Dimension.builder().name("ServiceName").value("burn").build();

    Datapoint berthFigure =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> latest(cluster, service), p -> p != null && p.maximum() > 0);
    double dockerPercentOfCore = dockerStatsCpuPercent(containerId);
    double expected = dockerPercentOfCore * 1024 / TASK_CPU;

    System.out.printf(
        "burner: berth CPUUtilization max %.1f%% avg %.1f%% of its reservation over %s samples;"
            + " docker stats %.1f%% of a core = %.1f%% of %d units%n",
        berthFigure.maximum(),
        berthFigure.average(),
        berthFigure.sampleCount(),
        dockerPercentOfCore,
        expected,
        TASK_CPU);
    assertThat(berthFigure.maximum()).isGreaterThan(expected * 0.5);
    assertThat(berthFigure.unitAsString()).isEqualTo("Percent");

    Datapoint reservation =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> latest("CPUReservation", List.of(cluster)), p -> p != null);
    // 512 units on an instance of 1,024 a core.
    assertThat(reservation.maximum()).isPositive();
    Datapoint clusterCpu =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> latest("CPUUtilization", List.of(cluster)), p -> p != null);
    assertThat(clusterCpu.maximum()).isPositive();
  }

  private Datapoint latest(Dimension cluster, Dimension service) {
    return latest("CPUUtilization", List.of(cluster, service));
  }

  private Datapoint latest(String metric, List<Dimension> dimensions) {
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    return cloudWatch
        .getMetricStatistics(
            r ->
                r.namespace("AWS/ECS")
                    .metricName(metric)
                    .dimensions(dimensions)
                    .startTime(end.minusSeconds(600))
                    .endTime(end)
                    .period(60)
                    .statistics(Statistic.AVERAGE, Statistic.MAXIMUM, Statistic.SAMPLE_COUNT))
        .datapoints()
        .stream()
        .max(java.util.Comparator.comparing(Datapoint::timestamp))
        .orElse(null);
  }

  /** Returns the CPU percentage (of one core) {@code docker stats} shows for the container. */
  private static double dockerStatsCpuPercent(String containerId)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "docker", "stats", "--no-stream", "--format", "{{.CPUPerc}}", containerId)
            .redirectErrorStream(true)
            .start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("docker stats did not answer");
      }
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(out).endsWith("%");
      return Double.parseDouble(out.substring(0, out.length() - 1));
    } finally {
      process.destroyForcibly();
    }
  }
}
