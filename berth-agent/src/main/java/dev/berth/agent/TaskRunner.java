package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeFailure;
import dev.berth.agent.runtime.TaskScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on Docker through its lifecycle, on its own virtual thread: {@link TaskLaunch}
 * (pull and create) or {@link TaskAdoption} after a restart, {@link DependencyOrder} (start),
 * {@link TaskWatch} (run), {@link TaskStop} (stop), then the STOPPED report. Between steps the
 * thread waits on its {@link TaskSignals}, which Docker's events and the engine wake.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  static final String ESSENTIAL_EXITED = TaskContainers.ESSENTIAL_EXITED;

  private final String taskArn;
  private final TaskScope scope;
  private final TaskContainers containers;
  private final TaskReports reports;
  private final Clock clock;
  private final BiConsumer<TaskRunner, Instant> onFinished;
  private final TaskSignals signals = new TaskSignals();
  private final TaskLaunch launch;
  private final DependencyOrder order;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Thread thread;

  TaskRunner(
      String cluster,
      JsonNode task,
      ObjectNode taskDefinition,
      String instanceArn,
      ContainerRuntime runtime,
      TaskReports reports,
      HostPortAllocator ports,
      PullBehavior pullBehavior,
      Clock clock,
      BiConsumer<TaskRunner, Instant> onFinished) {
    this.taskArn = requireNonNull(task.path("taskArn").asText(null));
    this.scope = TaskScope.forNewTask(cluster, taskArn, taskDefinition);
    this.containers = new TaskContainers(taskArn, task, taskDefinition, runtime, ports);
    this.reports = requireNonNull(reports);
    this.clock = requireNonNull(clock);
    this.onFinished = requireNonNull(onFinished);
    this.launch =
        new TaskLaunch(containers, scope, instanceArn, pullBehavior, reports, signals, clock);
    this.order = new DependencyOrder(containers, signals, clock);
  }

  /** Returns the task's ARN. */
  String taskArn() {
    return taskArn;
  }

  /** Starts the task on a new thread, adopting the Docker containers given (name to id), if any. */
  void start(Map<String, String> adopted, boolean wasRunning) {
    thread =
        Thread.ofVirtual()
            .name("berth-task-" + taskArn.substring(taskArn.lastIndexOf('/') + 1))
            .start(() -> run(adopted, wasRunning));
  }

  /** Asks the task to stop, with the reason to report; repeated requests do nothing more. */
  void requestStop(String reason) {
    signals.requestStop(reason);
  }

  /**
   * Tells the runner that something may have changed in Docker (an event about one of its
   * containers, or a periodic reconcile); returns a ticket for {@link #awaitLooked}.
   */
  long wake() {
    return signals.wake();
  }

  /**
   * Waits until the runner has looked at Docker after the wake-up with that ticket; returns false
   * on timeout.
   */
  boolean awaitLooked(long ticket, Duration timeout) throws InterruptedException {
    return signals.awaitHandled(ticket, timeout);
  }

  /**
   * Lets go of the task, leaving its containers as they are, because the agent is shutting down:
   * the runner's thread ends without stopping, reporting or removing anything, and the next agent
   * on this host adopts the containers.
   */
  void detach() {
    signals.detach();
    Thread current = thread;
    if (current != null) {
      current.interrupt();
    }
  }

  /** Returns true once the task has stopped and said so. */
  boolean isFinished() {
    return finished.getCount() == 0;
  }

  /** Waits for the task to finish; returns false on timeout. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes the task's containers and task-scoped volumes, once stopped. */
  void cleanUp() {
    for (ContainerRun container : containers.all()) {
      if (container.dockerId != null) {
        try {
          containers.runtime.remove(container.dockerId);
        } catch (RuntimeException e) {
          LOG.warn(
              "could not remove container {} of {}: {}", container.name, taskArn, e.getMessage());
        }
      }
    }
    try {
      scope.volumes().release(containers.runtime);
    } catch (RuntimeException e) {
      LOG.warn("could not remove the volumes of {}: {}", taskArn, e.getMessage());
    }
  }

  private void run(Map<String, String> adopted, boolean wasRunning) {
    String reason = null;
    try {
      reason = runUntilStop(adopted, wasRunning);
    } catch (InterruptedException e) {
      reason = "The agent is shutting down";
    } catch (RuntimeFailure e) {
      if (!signals.detached()) {
        LOG.warn("task {} failed: {}", taskArn, e.getMessage());
      }
      reason = e.getMessage();
    } catch (RuntimeException e) {
      LOG.error("task {} failed unexpectedly", taskArn, e);
      reason = "Berth agent error: " + e.getMessage();
    }
    if (signals.detached()) {
      LOG.info("left task {} to the next agent", taskArn);
      signals.finished();
      finished.countDown();
      return;
    }
    if (reason == null) {
      reason = signals.stopReason();
    }
    new TaskStop(containers, reports).stopAll();
    // Stopped containers hold no host port: free them before the server hears the task stopped
    // and may place the next task on them.
    containers.releasePorts();
    signals.finished();
    finished.countDown();
    Instant stoppedAt = clock.instant();
    reports.taskStopped(taskArn, reason, containers.all(), stoppedAt);
    onFinished.accept(this, stoppedAt);
  }

  /** Takes the task from wherever it is to the point it must stop; returns why. */
  private String runUntilStop(Map<String, String> adopted, boolean wasRunning)
      throws InterruptedException {
    String reason;
    if (!adopted.isEmpty()) {
      reason = new TaskAdoption(containers, order).adopt(adopted);
    } else if (signals.stopRequested()) {
      // Told to stop before it ever started here: there is nothing to run or stop.
      return signals.stopReason();
    } else if (wasRunning) {
      // The server saw it running, yet no container of it is left on this host.
      String gone = "Task's containers were removed while the agent was not running";
      containers.markAllStopped(gone);
      return gone;
    } else {
      reason = launch.pullAndCreate();
      if (reason == null) {
        reason = order.start(new ArrayList<>(containers.all()));
      }
    }
    if (reason != null) {
      return reason;
    }
    reports.taskRunning(taskArn, containers.all(), clock.instant());
    return new TaskWatch(containers, reports, signals).watch();
  }
}
