package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSummary;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the tasks running on this host with the task set the server sends: starts the tasks it
 * should run (adopting containers left from before a restart, never starting a task twice), stops
 * those it should not, and removes the containers of stopped tasks after a while.
 */
final class TaskEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);

  private final String cluster;
  private final String containerInstanceArn;
  private final ContainerRuntime runtime;
  private final TaskReports reports;
  private final HostPortAllocator ports;
  private final PullBehavior pullBehavior;
  private final Duration cleanupWait;
  private final Clock clock;
  private final Map<String, TaskRunner> runners = new ConcurrentHashMap<>();
  private final ScheduledExecutorService cleaner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("berth-agent-cleanup").factory());
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
      Clock clock) {
    this.cluster = requireNonNull(cluster);
    this.containerInstanceArn = requireNonNull(containerInstanceArn);
    this.runtime = requireNonNull(runtime);
    this.reports = requireNonNull(reports);
    this.ports = requireNonNull(ports);
    this.pullBehavior = requireNonNull(pullBehavior);
    this.cleanupWait = requireNonNull(cleanupWait);
    this.clock = requireNonNull(clock);
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
    // Containers this instance made for tasks the server does not list belong to nothing: stop
    // and remove them, off the channel's thread. Other instances' containers are theirs.
    List<String> orphans = new ArrayList<>();
    for (Map.Entry<String, Map<String, ContainerSummary>> task : leftovers.entrySet()) {
      for (ContainerSummary container : task.getValue().values()) {
        if (containerInstanceArn.equals(container.labels().get(EcsLabels.CONTAINER_INSTANCE))) {
          LOG.info(
              "removing container {} of task {}, unknown to the server",
              container.id(),
              task.getKey());
          orphans.add(container.id());
        }
      }
    }
    leftovers.clear();
    if (!orphans.isEmpty()) {
      cleaner.execute(() -> orphans.forEach(this::removeOrphan));
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

  private void removeOrphan(String id) {
    try {
      runtime.stop(id, Duration.ofSeconds(10));
      runtime.remove(id);
    } catch (RuntimeException e) {
      LOG.warn("could not remove container {}: {}", id, e.getMessage());
    }
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
  private void scheduleCleanup(TaskRunner runner) {
    try {
      cleaner.schedule(runner::cleanUp, cleanupWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The agent is shutting down; the next agent removes the containers of stopped tasks.
    }
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
