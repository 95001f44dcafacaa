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
  private Map<String, Map<String, String>> leftovers;

  TaskEngine(
      String cluster,
      ContainerRuntime runtime,
      TaskReports reports,
      HostPortAllocator ports,
      PullBehavior pullBehavior,
      Duration cleanupWait,
      Clock clock) {
    this.cluster = requireNonNull(cluster);
    this.runtime = requireNonNull(runtime);
    this.reports = requireNonNull(reports);
    this.ports = requireNonNull(ports);
    this.pullBehavior = requireNonNull(pullBehavior);
    this.cleanupWait = requireNonNull(cleanupWait);
    this.clock = requireNonNull(clock);
  }

  /** Reconciles with a task set from the server: a JSON array of {task, taskDefinition}. */
  synchronized void reconcile(JsonNode taskSet) {
    if (leftovers == null) {
      leftovers = containersOnHost();
    }
    Set<String> listed = new HashSet<>();
    for (JsonNode entry : taskSet) {
      JsonNode task = entry.path("task");
      String taskArn = task.path("taskArn").asText();
      listed.add(taskArn);
      boolean stop = "STOPPED".equals(task.path("desiredStatus").asText());
      TaskRunner runner = runners.get(taskArn);
      if (runner == null) {
        Map<String, String> adopted = leftovers.getOrDefault(taskArn, Map.of());
        leftovers.remove(taskArn);
        runner = newRunner(task, entry.path("taskDefinition"));
        if (stop) {
          // Stopped before it started here, or left from before a restart: stop what is there
          // and report it.
          runner.requestStop(stopReason(task));
        }
        runners.put(taskArn, runner);
        String lastStatus = task.path("lastStatus").asText();
        runner.start(adopted, adopted.isEmpty() && isPastStart(lastStatus));
      } else if (stop) {
        runner.requestStop(stopReason(task));
      }
    }
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
    // Containers of tasks the server does not list belong to nothing: stop and remove them.
    for (Map.Entry<String, Map<String, String>> orphan : leftovers.entrySet()) {
      for (String id : orphan.getValue().values()) {
        LOG.info("removing container {} of task {}, unknown to the server", id, orphan.getKey());
        try {
          runtime.stop(id, Duration.ofSeconds(10));
          runtime.remove(id);
        } catch (RuntimeException e) {
          LOG.warn("could not remove container {}: {}", id, e.getMessage());
        }
      }
    }
    leftovers.clear();
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

  private Map<String, Map<String, String>> containersOnHost() {
    Map<String, Map<String, String>> byTask = new HashMap<>();
    for (ContainerSummary container : runtime.list(Map.of(EcsLabels.CLUSTER, cluster))) {
      String taskArn = container.labels().get(EcsLabels.TASK_ARN);
      String name = container.labels().get(EcsLabels.CONTAINER_NAME);
      if (taskArn != null && name != null) {
        byTask.computeIfAbsent(taskArn, arn -> new LinkedHashMap<>()).put(name, container.id());
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
