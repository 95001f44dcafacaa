package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.RuntimeEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's subscription to Docker's container events for its cluster's containers. Each event
 * goes to the listener; when the stream breaks (the daemon restarted, the socket closed) it
 * subscribes again with backoff and, once back, asks for a full reconcile, since events may have
 * been missed in between.
 */
final class ContainerEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerEvents.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ContainerRuntime runtime;
  private final Map<String, String> labelFilter;
  private final Consumer<RuntimeEvent> listener;
  private final Runnable resync;
  private final ScheduledExecutorService scheduler;
  private final Duration firstRetry;
  private Duration backoff;
  private AutoCloseable subscription;
  private boolean closed;
  private int subscriptions;

  ContainerEvents(
      ContainerRuntime runtime,
      Map<String, String> labelFilter,
      Consumer<RuntimeEvent> listener,
      Runnable resync,
      ScheduledExecutorService scheduler,
      Duration firstRetry) {
    this.runtime = requireNonNull(runtime);
    this.labelFilter = Map.copyOf(labelFilter);
    this.listener = requireNonNull(listener);
    this.resync = requireNonNull(resync);
    this.scheduler = requireNonNull(scheduler);
    this.firstRetry = requireNonNull(firstRetry);
    this.backoff = firstRetry;
  }

  /** Subscribes; if Docker refuses, keeps trying in the background. */
  void open() {
    subscribe();
  }

  /** Returns how many times the stream was opened, for tests of reconnection. */
  synchronized int subscriptions() {
    return subscriptions;
  }

  @Override
  public void close() {
    AutoCloseable current;
    synchronized (this) {
      closed = true;
      current = subscription;
      subscription = null;
    }
    closeQuietly(current);
  }

  private void subscribe() {
    boolean again;
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        subscription = runtime.events(labelFilter, this::onEvent);
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot follow Docker's events ({}); trying again in {} ms",
            e.getMessage(),
            backoff.toMillis());
        retryLater();
        return;
      }
      again = subscriptions++ > 0;
      backoff = firstRetry;
    }
    if (again) {
      LOG.info("following Docker's events again; reconciling every task with Docker");
      resync.run();
    }
  }

  private void onEvent(RuntimeEvent event) {
    if (event.type() != RuntimeEvent.Type.DISCONNECTED) {
      listener.accept(event);
      return;
    }
    AutoCloseable broken;
    synchronized (this) {
      if (closed) {
        return;
      }
      LOG.warn("Docker's event stream broke; following it again in {} ms", backoff.toMillis());
      broken = subscription;
      subscription = null;
      retryLater();
    }
    closeQuietly(broken);
  }

  private void retryLater() {
    Duration delay = backoff;
    backoff =
        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    try {
      scheduler.schedule(this::subscribe, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      // The engine is closing: nothing is left to follow events for.
    }
  }

  private static void closeQuietly(AutoCloseable subscription) {
    if (subscription == null) {
      return;
    }
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing Docker's event stream", e);
    }
  }
}
