package dev.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Json;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.ecs.state.TaskSpec;
import dev.berth.server.metrics.ContainerSamples.TaskUsage;
import dev.berth.store.MetricPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsMetricsTest {
  private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
  private static final long MINUTE = 1_700_000_040_000L;
  private static final ContainerInstance HOST = instance("a", ContainerInstance.ACTIVE);

  @Test
  void serviceUtilizationIsRelativeToEachTasksReservationWithOneSampleATask() {
    Task busy = task("t1", "service:web", "512", TaskLifecycle.RUNNING);
    Task idle = task("t2", "service:web", "512", TaskLifecycle.RUNNING);
    Map<String, TaskUsage> usage =
        Map.of(
            busy.arn(), new TaskUsage(HOST.arn(), 1024, 256),
            idle.arn(), new TaskUsage(HOST.arn(), 51.2, 128));

    List<MetricPoint> points =
        EcsMetrics.points("default", List.of(HOST), List.of(busy, idle), usage, MINUTE);

    MetricPoint cpu = point(points, "CPUUtilization", "web");
    // 1,024 units used on 512 reserved is 200%, as ECS's service figure can exceed 100.
    assertThat(cpu.sampleCount()).isEqualTo(2);
    assertThat(cpu.maximum()).isEqualTo(200);
    assertThat(cpu.minimum()).isEqualTo(10);
    assertThat(cpu.average()).isEqualTo(105);
    MetricPoint memory = point(points, "MemoryUtilization", "web");
    assertThat(memory.maximum()).isEqualTo(50);
    assertThat(memory.minimum()).isEqualTo(25);
  }

  @Test
  void clusterFiguresAreRelativeToWhatActiveAndDrainingInstancesRegistered() {
    ContainerInstance draining = instance("b", ContainerInstance.DRAINING);
    ContainerInstance gone = instance("c", ContainerInstance.INACTIVE);
    Task running = task("t1", "family:batch", null, TaskLifecycle.RUNNING);
    Task pending = task("t2", "family:batch", null, TaskLifecycle.PENDING);
    Map<String, TaskUsage> usage = Map.of(running.arn(), new TaskUsage(HOST.arn(), 1024, 1024));

    List<MetricPoint> points =
        EcsMetrics.points(
            "default", List.of(HOST, draining, gone), List.of(running, pending), usage, MINUTE);

    // Two counted instances of 2,048 units and 4,096 MiB each.
    assertThat(point(points, "CPUUtilization", null).average()).isEqualTo(25);
    assertThat(point(points, "CPUUtilization", null).sampleCount()).isEqualTo(1);
    assertThat(point(points, "MemoryUtilization", null).average()).isEqualTo(12.5);
    // Both tasks reserve 256 units and 512 MiB, running or not.
    assertThat(point(points, "CPUReservation", null).average()).isEqualTo(12.5);
    assertThat(point(points, "MemoryReservation", null).average()).isEqualTo(12.5);
    assertThat(points).allMatch(p -> p.timestamp() == MINUTE);
    assertThat(points).allMatch(p -> "Percent".equals(p.series().unit()));
  }

  @Test
  void nothingIsEmittedWithoutRunningTasksWithSamplesFromTheirOwnInstance() {
    Task running = task("t1", "service:web", "512", TaskLifecycle.RUNNING);
    Map<String, TaskUsage> fromElsewhere =
        Map.of(running.arn(), new TaskUsage(PREFIX + "container-instance/default/zz", 1024, 1));

    assertThat(EcsMetrics.points("default", List.of(HOST), List.of(running), Map.of(), MINUTE))
        .isEmpty();
    assertThat(EcsMetrics.points("default", List.of(HOST), List.of(running), fromElsewhere, MINUTE))
        .isEmpty();
  }

  @Test
  void samplesOfATaskAreAveragedPerContainerAndAddedAcrossContainers() {
    ContainerSamples samples = new ContainerSamples();
    String task = PREFIX + "task/default/t1";
    samples.add(HOST.arn(), message(task, "web", 1000, 2, 200, 2));
    samples.add(HOST.arn(), message(task, "web", 500, 1, 100, 1));
    samples.add(HOST.arn(), message(task, "sidecar", 100, 1, 50, 1));

    Map<String, TaskUsage> usage = samples.drain();

    assertThat(usage.get(task).cpuUnits()).isEqualTo(600);
    assertThat(usage.get(task).memoryMiB()).isEqualTo(150);
    assertThat(samples.drain()).isEmpty();
  }

  private static com.fasterxml.jackson.databind.JsonNode message(
      String task, String container, double cpuSum, int cpuCount, double memSum, int memCount) {
    var message = Json.object().put("type", "metrics");
    var entry = message.putArray("tasks").addObject().put("taskArn", task);
    var node = entry.putArray("containers").addObject().put("name", container);
    node.putObject("cpu").put("sum", cpuSum).put("sampleCount", cpuCount);
    node.putObject("memory").put("sum", memSum).put("sampleCount", memCount);
    return message;
  }

  private static MetricPoint point(List<MetricPoint> points, String name, String service) {
    return points.stream()
        .filter(p -> p.series().metricName().equals(name))
        .filter(
            p ->
                service == null
                    ? !p.series().dimensions().containsKey("ServiceName")
                    : service.equals(p.series().dimensions().get("ServiceName")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " point in " + points));
  }

  private static ContainerInstance instance(String id, String status) {
    return new ContainerInstance(
        PREFIX + "container-instance/default/" + id,
        "i-0123456789abcdef" + id,
        status,
        new Resources(2048, 4096, List.of(), List.of()),
        List.of(new Attribute("ecs.os-type", "linux")),
        Json.object(),
        List.of(),
        1_700_000_000_000L,
        null,
        1);
  }

  private static Task task(String id, String group, String cpu, String lastStatus) {
    TaskSpec spec =
        new TaskSpec(
            PREFIX + "task/default/" + id,
            PREFIX + "cluster/default",
            PREFIX + "task-definition/web:1",
            HOST.arn(),
            "EC2",
            cpu,
            null,
            Json.object(),
            null,
            group,
            null,
            List.of(),
            false,
            new Resources(256, 512, List.of(), List.of()),
            1_700_000_000_000L);
    TaskLifecycle lifecycle = TaskLifecycle.provisioning(1_700_000_000_000L);
    if (!lastStatus.equals(TaskLifecycle.PROVISIONING)) {
      lifecycle = lifecycle.reported(lastStatus, null, null, null, null, 1_700_000_001_000L);
    }
    return new Task(spec, lifecycle, List.of(), List.of(), 1);
  }
}
