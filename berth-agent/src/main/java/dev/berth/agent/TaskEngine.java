package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerStatus;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the tasks running on this host with the task set the server sends: starts the tasks it
 * should run (adopting containers left from before a restart, never starting a task twice), stops
 * those it should not, and removes the containers of stopped tasks once their cleanup wait has
 * passed. Docker's container events wake the runner of the task they concern; a periodic reconcile
 * wakes every runner too, in case an event was missed, and runs the cleanups that are due.
 */
final class TaskEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);
  private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String cluster;
  private final String containerInstanceArn;
  private final ContainerRuntime runtime;
  private final TaskReports reports;
  private final HostPortAllocator ports;
  private final PullBehavior pullBehavior;
  private final Clock clock;
  private final Map<String, TaskRunner> runners = new ConcurrentHashMap<>();
  private final ScheduledExecutorService cleaner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("berth-agent-cleanup").factory());
  private final TaskCleanup cleanup;
  private final ContainerEvents events;
  private final Set<String> refused = new HashSet<>();
  private Map<String, Map<String, ContainerSummary>> leftovers;

  TaskEngine(
      String cluster,
      String containerInstanceArn,
      ContainerRuntime runtime,
      TaskReports reports,
      HostPortAllocator ports,
      PullBehavior pullBehavior,
      Duration cleanupWait,
      Duration reconcileInterval,
      Clock clock) {
    this.cluster = requireNonNull(cluster);
    this.containerInstanceArn = requireNonNull(containerInstanceArn);
    this.runtime = requireNonNull(runtime);
    this.reports = requireNonNull(reports);
    this.ports = requireNonNull(ports);
    this.pullBehavior = requireNonNull(pullBehavior);
    this.clock = requireNonNull(clock);
    this.cleanup = new TaskCleanup(cleanupWait, clock);
    // Follow events before the first task set lists the host's containers, so none is missed.
    this.events =
        new ContainerEvents(
            runtime,
            Map.of(EcsLabels.CLUSTER, cluster),
            this::onEvent,
            this::reconcileContainers,
            cleaner,
            Duration.ofSeconds(1));
    events.open();
    long every = reconcileInterval.toMillis();
    cleaner.scheduleWithFixedDelay(this::reconcileContainers, every, every, TimeUnit.MILLISECONDS);
  }

  /** Wakes the runner of the task a container event concerns. */
  private void onEvent(RuntimeEvent event) {
    String taskArn = event.attributes().get(EcsLabels.TASK_ARN);
    TaskRunner runner = taskArn == null ? null : runners.get(taskArn);
    if (runner != null) {
      runner.wake();
    }
  }

  /**
   * The periodic reconcile, the safety net under Docker's events: every runner looks at its
   * containers again, and the cleanups that are due run.
   */
  void reconcileContainers() {
    try {
      runners.values().forEach(TaskRunner::wake);
      cleanup.runDue();
    } catch (RuntimeException e) {
      // A scheduled run that throws is never run again: log and go on.
      LOG.warn("periodic reconcile failed", e);
    }
  }

  /**
   * Wakes every runner and waits until each has looked at Docker since; returns false on timeout.
   * Tests use it to know that what they changed in the runtime has been seen.
   */
  boolean awaitRunnersLooked(Duration timeout) throws InterruptedException {
    for (TaskRunner runner : List.copyOf(runners.values())) {
      if (!runner.awaitLooked(runner.wake(), timeout)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reconciles with a task set from the server: a JSON array of {task, taskDefinition}, completed
   * with the definitions the channel delivered earlier. A task it does not run yet whose definition
   * is missing is refused and reported STOPPED with the reason.
   */
  synchronized void reconcile(JsonNode taskSet) {
    if (leftovers == null) {
      leftovers = containersOnHost();
    }
    Set<String> listed = new HashSet<>();
    for (JsonNode entry : taskSet) {
      JsonNode task = entry.path("task");
      String taskArn = task.path("taskArn").asText();
      listed.add(taskArn);
      try {
        reconcile(task, entry.path("taskDefinition"));
      } catch (RuntimeException e) {
        // One task this host cannot run must not hold up the others: report it and go on.
        if (refused.add(taskArn)) {
          LOG.warn("task {} cannot run here: {}", taskArn, e.getMessage());
          reports.taskStopped(
              taskArn,
              "Berth agent cannot run the task: " + e.getMessage(),
              List.of(),
              clock.instant());
        }
      }
    }
    refused.retainAll(listed);
    for (TaskRunner runner : List.copyOf(runners.values())) {
      if (!listed.contains(runner.taskArn())) {
        if (runner.isFinished()) {
          runners.remove(runner.taskArn());
        } else {
          // The server no longer counts it as running: stop it.
          runner.requestStop("Task stopped by the server");
        }
      }
    }
    // Containers this instance made for tasks the server does not list belong to no running task:
    // stop them, keep them for the cleanup wait from when they stopped (their logs may be wanted),
    // then remove them, off the channel's thread. Other instances' containers are theirs.
    Map<String, List<ContainerSummary>> orphans = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, ContainerSummary>> task : leftovers.entrySet()) {
      for (ContainerSummary container : task.getValue().values()) {
        if (containerInstanceArn.equals(container.labels().get(EcsLabels.CONTAINER_INSTANCE))) {
          orphans.computeIfAbsent(task.getKey(), arn -> new ArrayList<>()).add(container);
        }
      }
    }
    leftovers.clear();
    if (!orphans.isEmpty()) {
      execute(
          () -> {
            orphans.forEach(this::retireOrphan);
            cleanup.runDue();
          });
    }
  }

  private void reconcile(JsonNode task, JsonNode taskDefinition) {
    String taskArn = task.path("taskArn").asText();
    // A DEACTIVATING task is still being taken out of its load balancers: it keeps running until
    // the server moves it on to STOPPING.
    boolean stop =
        "STOPPED".equals(task.path("desiredStatus").asText())
            && !"DEACTIVATING".equals(task.path("lastStatus").asText());
    TaskRunner runner = runners.get(taskArn);
    if (runner != null) {
      if (stop) {
        runner.requestStop(stopReason(task));
      }
      return;
    }
    if (refused.contains(taskArn)) {
      return;
    }
    if (!taskDefinition.isObject()) {
      // The channel sends each definition once a connection and the agent keeps it as long: one
      // that never came is the server's to fix (it has no such revision), not a reason to wait.
      throw new IllegalArgumentException(
          "the server sent no task definition "
              + task.path("taskDefinitionArn").asText()
              + " for it");
    }
    runner = newRunner(task, taskDefinition);
    Map<String, String> adopted = new LinkedHashMap<>();
    Map<String, ContainerSummary> left = leftovers.remove(taskArn);
    if (left != null) {
      left.forEach((name, container) -> adopted.put(name, container.id()));
    }
    if (stop) {
      // Stopped before it started here, or left from before a restart: stop what is there and
      // report it.
      runner.requestStop(stopReason(task));
    }
    runners.put(taskArn, runner);
    runner.start(adopted, adopted.isEmpty() && isPastStart(task.path("lastStatus").asText()));
  }

  /**
   * Stops the containers of a task the server does not list and schedules their removal for when
   * the cleanup wait has passed since the task stopped: now if a container was still running, else
   * when its last container finished, as Docker's FinishedAt says (across agent restarts).
   */
  private void retireOrphan(String taskArn, List<ContainerSummary> containers) {
    Instant stoppedAt = null;
    boolean stoppedNow = false;
    for (ContainerSummary container : containers) {
      try {
        if (!container.state().isStopped()) {
          runtime.stop(container.id(), ORPHAN_STOP_TIMEOUT);
          stoppedNow = true;
        }
        ContainerStatus status = runtime.inspect(container.id());
        Instant finished = status == null ? null : status.finishedAt();
        if (finished != null && (stoppedAt == null || finished.isAfter(stoppedAt))) {
          stoppedAt = finished;
        }
      } catch (RuntimeException e) {
        LOG.warn("could not stop container {}: {}", container.id(), e.getMessage());
      }
    }
    if (stoppedNow || stoppedAt == null) {
      stoppedAt = clock.instant();
    }
    LOG.info(
        "task {}, unknown to the server, stopped at {}; its containers go at {}",
        taskArn,
        stoppedAt,
        stoppedAt.plus(cleanup.waitDuration()));
    cleanup.schedule(
        taskArn,
        stoppedAt,
        () -> {
          for (ContainerSummary container : containers) {
            runtime.remove(container.id());
          }
        });
  }

  private void execute(Runnable work) {
    try {
      cleaner.execute(work);
    } catch (RejectedExecutionException e) {
      // The agent is shutting down; the next agent retires what is left.
    }
  }

  /** Returns how many stopped tasks wait for their cleanup. */
  int pendingCleanups() {
    return cleanup.pending();
  }

  /** Returns the number of tasks this engine runs or reports on. */
  int taskCount() {
    return runners.size();
  }

  /**
   * Stops the engine, leaving every task's containers running for the next agent to adopt, as the
   * ECS agent does across restarts.
   */
  @Override
  public void close() {
    events.close();
    cleaner.shutdownNow();
    runners.values().forEach(TaskRunner::detach);
  }

  private TaskRunner newRunner(JsonNode task, JsonNode taskDefinition) {
    return new TaskRunner(
        cluster,
        task,
        (ObjectNode) taskDefinition,
        containerInstanceArn,
        runtime,
        reports,
        ports,
        pullBehavior,
        clock,
        this::scheduleCleanup);
  }

  /** Schedules the removal of a finished task's containers, as ECS's task cleanup does. */
  private void scheduleCleanup(TaskRunner runner, Instant stoppedAt) {
    cleanup.schedule(runner.taskArn(), stoppedAt, runner::cleanUp);
  }

  private Map<String, Map<String, ContainerSummary>> containersOnHost() {
    Map<String, Map<String, ContainerSummary>> byTask = new HashMap<>();
    for (ContainerSummary container : runtime.list(Map.of(EcsLabels.CLUSTER, cluster))) {
      String taskArn = container.labels().get(EcsLabels.TASK_ARN);
      String name = container.labels().get(EcsLabels.CONTAINER_NAME);
      if (taskArn != null && name != null) {
        byTask.computeIfAbsent(taskArn, arn -> new LinkedHashMap<>()).put(name, container);
      }
    }
    return byTask;
  }

  private static boolean isPastStart(String lastStatus) {
    return switch (lastStatus) {
      case "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING" -> true;
      default -> false;
    };
  }

  private static String stopReason(JsonNode task) {
    String reason = task.path("stoppedReason").asText(null);
    return reason != null ? reason : "Task stopped by the server";
  }
}
