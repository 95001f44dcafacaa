package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;

/**
 * Reports each task the simulated agents receive as RUNNING through signed SubmitTaskStateChange
 * calls, as the agent's state reporter does, with one worker thread per client so the reports go
 * out in parallel; counts the reports the server has committed.
 */
final class TaskAcknowledger implements AutoCloseable {
  private final String cluster;
  private final String containerName;
  private final BlockingQueue<String[]> pending = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  /** Starts one worker per client, reporting tasks of the cluster whose one container is named. */
  TaskAcknowledger(List<EcsClient> clients, String cluster, String containerName) {
    this.cluster = requireNonNull(cluster);
    this.containerName = requireNonNull(containerName);
    for (EcsClient client : clients) {
      workers.add(Thread.ofPlatform().daemon().name("bench-ack").start(() -> work(client)));
    }
  }

  /** Queues a task to be reported RUNNING. */
  void acknowledge(String taskArn) {
    pending.add(new String[] {taskArn, "RUNNING"});
  }

  /** Queues a task to be reported STOPPED, as an agent does once it stopped what it was asked. */
  void stopped(String taskArn) {
    pending.add(new String[] {taskArn, "STOPPED"});
  }

  /** Returns how many tasks the server has accepted as RUNNING. */
  long acknowledged() {
    return acknowledged.get();
  }

  /** Returns how many reports the server refused. */
  long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    closed = true;
    workers.forEach(Thread::interrupt);
  }

  private void work(EcsClient client) {
    while (!closed) {
      String[] report;
      try {
        report = pending.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (report == null) {
        continue;
      }
      String taskArn = report[0];
      String status = report[1];
      try {
        client.submitTaskStateChange(
            r ->
                r.cluster(cluster)
                    .task(taskArn)
                    .status(status)
                    .containers(
                        ContainerStateChange.builder()
                            .containerName(containerName)
                            .runtimeId("sim-" + taskArn.substring(taskArn.lastIndexOf('/') + 1))
                            .status(status)
                            .build()));
        if (status.equals("RUNNING")) {
          acknowledged.incrementAndGet();
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (failed.getAndIncrement() < 5) {
          System.err.println("SubmitTaskStateChange failed for " + taskArn + ": " + e);
        }
      }
    }
  }
}
