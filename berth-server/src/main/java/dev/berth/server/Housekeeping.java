package dev.berth.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's periodic chores (pruning stopped tasks, metric data, expired log events) on one
 * thread, {@code berth-housekeeping}: a chore that fails is logged and runs again next time.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("berth-housekeeping").factory());

  /** Runs the chore every period, the first time a minute from now; {@code what} names it. */
  void every(Duration period, String what, Runnable chore) {
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            chore.run();
          } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.toString());
          }
        },
        Duration.ofMinutes(1).toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the chores; one running is interrupted. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
