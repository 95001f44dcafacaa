package dev.berth.server.controller;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every controller plugs into: it runs each {@link Controller}'s passes at the interval
 * given, each controller on a thread of its own ({@code berth-NAME}), waiting for a pass to be
 * durable before the next one is due, so that a slow pass delays the next instead of piling up. A
 * pass that fails, or outlasts the timeout, is logged and the loop goes on.
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  /** A controller and how often it runs. */
  private record Entry(Controller controller, Duration interval) {}

  private final Duration timeout;
  private final List<Entry> entries = new ArrayList<>();
  private final List<ScheduledExecutorService> running = new ArrayList<>();

  /** Creates a loop whose passes are given up on (not cancelled) after the timeout. */
  public ControlLoop(Duration timeout) {
    this.timeout = requireNonNull(timeout);
  }

  /** Adds a controller to run every interval once the loop starts. */
  public synchronized ControlLoop add(Controller controller, Duration interval) {
    requireNonNull(controller);
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("a controller's interval must be positive: " + interval);
    }
    entries.add(new Entry(controller, interval));
    return this;
  }

  /** Starts every controller added: its first pass comes one interval from now. */
  public synchronized void start() {
    for (Entry entry : entries) {
      ScheduledExecutorService thread =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("berth-" + entry.controller().name()).factory());
      long millis = entry.interval().toMillis();
      thread.scheduleWithFixedDelay(
          () -> runPass(entry.controller()), millis, millis, TimeUnit.MILLISECONDS);
      running.add(thread);
    }
  }

  /**
   * Runs one pass of the controller and waits for it, up to the timeout; returns true if it
   * completed without failure. Never throws: the loop must outlive every pass.
   */
  boolean runPass(Controller controller) {
    try {
      controller.pass().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("{} pass still running after {}; the next one starts", controller.name(), timeout);
    } catch (Exception e) {
      LOG.warn("{} pass failed: {}", controller.name(), e.toString());
    }
    return false;
  }

  /** Stops every controller's thread; passes in flight finish on the writers. */
  @Override
  public synchronized void close() {
    running.forEach(ScheduledExecutorService::shutdownNow);
    running.clear();
  }
}
