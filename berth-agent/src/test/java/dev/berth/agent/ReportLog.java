package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeResponse;

/**
 * The server's side of the agent's reports, for tests: an {@link EcsClient} that accepts every
 * SubmitTaskStateChange and SubmitContainerStateChange, and the container health the agent sends on
 * its channel. The real {@link StateReporter} sends through it, so reports arrive in the order the
 * engine made them. A test takes them one task at a time, each wait bounded by {@link #WAIT}.
 */
final class ReportLog implements EcsClient {
  /** How long a test waits for a report before it fails. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** Container health as the agent sent it on its channel. */
  record Health(String taskArn, Map<String, String> byContainer) {}

  private final Map<String, BlockingQueue<Object>> byTask = new ConcurrentHashMap<>();
  private final Map<String, List<Object>> seen = new ConcurrentHashMap<>();
  private final BlockingQueue<Health> health = new LinkedBlockingQueue<>();

  /** Records container health sent on the channel; pass it to {@link TaskReports}. */
  void health(String taskArn, Map<String, String> byContainer) {
    health.add(new Health(taskArn, Map.copyOf(byContainer)));
  }

  /** Returns the task's next report, a task or a container state change, waiting for it. */
  Object next(String taskArn) throws InterruptedException {
    Object report = queue(taskArn).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (report == null) {
      throw new AssertionError(
          "no further report of "
              + taskArn
              + " within "
              + WAIT
              + "; reported so far: "
              + describe(seen(taskArn)));
    }
    return report;
  }

  /** Returns the task's next report, which must be a task state change to the status. */
  SubmitTaskStateChangeRequest nextTask(String taskArn, String status) throws InterruptedException {
    Object report = next(taskArn);
    assertThat(report)
        .as("the report after %s", describe(before(taskArn, report)))
        .isInstanceOf(SubmitTaskStateChangeRequest.class);
    SubmitTaskStateChangeRequest task = (SubmitTaskStateChangeRequest) report;
    assertThat(task.status())
        .as("the report after %s", describe(before(taskArn, report)))
        .isEqualTo(status);
    return task;
  }

  /** Returns the task's next report, which must be a container state change. */
  SubmitContainerStateChangeRequest nextContainer(String taskArn) throws InterruptedException {
    Object report = next(taskArn);
    assertThat(report)
        .as("the report after %s", describe(before(taskArn, report)))
        .isInstanceOf(SubmitContainerStateChangeRequest.class);
    return (SubmitContainerStateChangeRequest) report;
  }

  /** Skips the task's reports until a task state change to the status, and returns it. */
  SubmitTaskStateChangeRequest awaitTask(String taskArn, String status)
      throws InterruptedException {
    while (true) {
      if (next(taskArn) instanceof SubmitTaskStateChangeRequest task
          && task.status().equals(status)) {
        return task;
      }
    }
  }

  /** Returns the statuses of the task state changes reported so far, in order. */
  List<String> taskStatuses(String taskArn) {
    return seen(taskArn).stream()
        .filter(SubmitTaskStateChangeRequest.class::isInstance)
        .map(report -> ((SubmitTaskStateChangeRequest) report).status())
        .toList();
  }

  /** Returns true if the task has been reported STOPPED. */
  boolean wasStopped(String taskArn) {
    return taskStatuses(taskArn).contains("STOPPED");
  }

  /** Returns the next health the agent sent, waiting for it. */
  Health nextHealth() throws InterruptedException {
    Health next = health.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("no container health sent within " + WAIT);
    }
    return next;
  }

  /** Returns the container of that name in a task state change. */
  static ContainerStateChange container(SubmitTaskStateChangeRequest task, String name) {
    return task.containers().stream()
        .filter(c -> c.containerName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + task));
  }

  // EcsClient: the two operations the agent reports with.

  @Override
  public SubmitTaskStateChangeResponse submitTaskStateChange(SubmitTaskStateChangeRequest request) {
    arrive(request.task(), request);
    return SubmitTaskStateChangeResponse.builder().acknowledgment("ACCEPTED").build();
  }

  @Override
  public SubmitContainerStateChangeResponse submitContainerStateChange(
      SubmitContainerStateChangeRequest request) {
    arrive(request.task(), request);
    return SubmitContainerStateChangeResponse.builder().acknowledgment("ACCEPTED").build();
  }

  @Override
  public String serviceName() {
    return EcsClient.SERVICE_NAME;
  }

  @Override
  public void close() {}

  private void arrive(String taskArn, Object report) {
    seen(taskArn).add(report);
    queue(taskArn).add(report);
  }

  private BlockingQueue<Object> queue(String taskArn) {
    return byTask.computeIfAbsent(taskArn, arn -> new LinkedBlockingQueue<>());
  }

  private List<Object> seen(String taskArn) {
    // Reports arrive on the agent's threads while a test reads them: a copy-on-write list can be
    // iterated (streamed, described) without a lock and without a ConcurrentModificationException.
    return seen.computeIfAbsent(taskArn, arn -> new CopyOnWriteArrayList<>());
  }

  private List<Object> before(String taskArn, Object report) {
    List<Object> all = List.copyOf(seen(taskArn));
    int at = all.indexOf(report);
    return at < 0 ? all : all.subList(0, at);
  }

  private static String describe(List<Object> reports) {
    List<String> out = new ArrayList<>();
    for (Object report : reports) {
      if (report instanceof SubmitTaskStateChangeRequest task) {
        out.add(
            "task " + task.status() + (task.reason() == null ? "" : " (" + task.reason() + ")"));
      } else if (report instanceof SubmitContainerStateChangeRequest container) {
        out.add("container " + container.containerName() + " " + container.status());
      }
    }
    return out.isEmpty() ? "nothing" : String.join(", ", out);
  }
}
