package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECS's task cleanup: the containers of a stopped task are kept (with their logs) until the cleanup
 * wait has passed since the task stopped, then removed. Time is the injected clock's; the engine
 * runs what is due on each of its periodic reconciles.
 */
final class TaskCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(TaskCleanup.class);

  private record Due(Instant at, String taskArn, Runnable removal) {}

  private final Duration wait;
  private final Clock clock;
  private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparing(Due::at));

  TaskCleanup(Duration wait, Clock clock) {
    this.wait = requireNonNull(wait);
    this.clock = requireNonNull(clock);
  }

  /** Returns how long stopped tasks' containers are kept. */
  Duration waitDuration() {
    return wait;
  }

  /** Schedules the removal of a task that stopped at that time. */
  synchronized void schedule(String taskArn, Instant stoppedAt, Runnable removal) {
    due.add(new Due(stoppedAt.plus(wait), taskArn, removal));
  }

  /** Returns how many tasks wait for their cleanup. */
  synchronized int pending() {
    return due.size();
  }

  /** Runs every removal that is due now. */
  void runDue() {
    List<Due> now = new ArrayList<>();
    synchronized (this) {
      Instant at = clock.instant();
      while (!due.isEmpty() && !due.peek().at().isAfter(at)) {
        now.add(due.poll());
      }
    }
    for (Due task : now) {
      try {
        task.removal().run();
      } catch (RuntimeException e) {
        // One removal Docker refuses must not keep the others.
        LOG.warn("could not clean up task {}: {}", task.taskArn(), e.getMessage());
      }
    }
  }
}
