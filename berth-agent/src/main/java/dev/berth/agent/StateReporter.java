package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * Sends the agent's task and container state changes to the server with the ECS operations
 * SubmitTaskStateChange and SubmitContainerStateChange, in order and at least once: a report that
 * cannot reach the server is retried with backoff until it does. The server applies reports
 * idempotently, so a repeat does no harm.
 */
final class StateReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateReporter.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final EcsClient ecs;
  private final BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
  private final Thread sender;
  private volatile boolean closed;

  StateReporter(EcsClient ecs) {
    this.ecs = requireNonNull(ecs);
    this.sender = Thread.ofPlatform().daemon().name("berth-agent-reporter").start(this::sendAll);
  }

  /** Queues a task state change. */
  void report(SubmitTaskStateChangeRequest change) {
    reports.add(requireNonNull(change));
  }

  /** Queues a container state change. */
  void report(SubmitContainerStateChangeRequest change) {
    reports.add(requireNonNull(change));
  }

  /** Returns how many reports wait to be sent. */
  int pending() {
    return reports.size();
  }

  @Override
  public void close() {
    closed = true;
    sender.interrupt();
  }

  private void sendAll() {
    while (!closed) {
      Object report;
      try {
        report = reports.take();
      } catch (InterruptedException e) {
        return;
      }
      send(report);
    }
  }

  private void send(Object report) {
    long backoff = 200;
    while (!closed) {
      try {
        if (report instanceof SubmitTaskStateChangeRequest task) {
          ecs.submitTaskStateChange(task);
        } else {
          ecs.submitContainerStateChange((SubmitContainerStateChangeRequest) report);
        }
        return;
      } catch (EcsException e) {
        if (e.statusCode() < 500) {
          // The server refused the report itself (e.g. it no longer knows the task): retrying
          // would be refused again.
          LOG.warn(
              "state change refused by the server, dropped: {}",
              e.awsErrorDetails().errorMessage());
          return;
        }
        LOG.warn("state change not accepted yet ({}); retrying", e.awsErrorDetails().errorCode());
      } catch (SdkClientException e) {
        LOG.warn("server unreachable for a state change ({}); retrying", e.getMessage());
      }
      sleep(backoff);
      backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
