package dev.berth.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.channel.ConnectionTaskSet;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One agent host for a test: a {@link TaskEngine} over a {@link FakeRuntime}, reporting through the
 * real {@link StateReporter} to a {@link ReportLog}, with host ports published on 127.0.0.1 and a
 * clock the test moves; each move runs the engine's periodic reconcile.
 */
final class EngineFixture implements AutoCloseable {
  /** An interval no test outlasts, so only the test's clock runs the periodic reconcile. */
  static final Duration NO_PERIODIC_RECONCILE = Duration.ofDays(1);

  final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
  final FakeRuntime runtime = new FakeRuntime(clock);
  final ReportLog reports = new ReportLog();
  final HostPortAllocator ports = new HostPortAllocator("127.0.0.1", 42000, 42099);
  final TaskEngine engine;
  private final StateReporter reporter = new StateReporter(reports);
  private final Set<String> sent = new LinkedHashSet<>();
  private final Set<String> definitionsSent = new HashSet<>();
  private ConnectionTaskSet connection = new ConnectionTaskSet();
  // Task ARN -> the desiredStatus and DEACTIVATING flag the connection sent; null before its first.
  private Map<String, String> connectionSent;

  /** Creates a host whose stopped tasks' containers are removed only after an hour. */
  EngineFixture() {
    this(Duration.ofHours(1));
  }

  /** Creates a host that removes the containers of stopped tasks after the wait. */
  EngineFixture(Duration cleanupWait) {
    TaskReports taskReports = new TaskReports(Tasks.CLUSTER, reporter, reports::health);
    engine =
        new TaskEngine(
            Tasks.CLUSTER,
            Tasks.INSTANCE_ARN,
            runtime,
            taskReports,
            ports,
            PullBehavior.DEFAULT,
            cleanupWait,
            NO_PERIODIC_RECONCILE,
            clock);
    // The periodic reconcile follows the test's clock: each move of it runs one.
    clock.onAdvance(engine::reconcileContainers);
  }

  /**
   * Makes every task runner look at the runtime and waits until each has, as the engine's periodic
   * reconcile would: after it, what a test changed in the runtime has been seen.
   */
  void settle() throws InterruptedException {
    if (!engine.awaitRunnersLooked(FakeRuntime.WAIT)) {
      throw new AssertionError(
          "a task runner did not look at the runtime within " + FakeRuntime.WAIT);
    }
  }

  /** Sends the engine a task set, as the server does on the agent channel. */
  void send(Tasks.Placed... tasks) {
    for (Tasks.Placed task : tasks) {
      sent.add(task.arn());
    }
    engine.reconcile(Tasks.taskSet(tasks));
  }

  /**
   * Sends the engine the server's task set as the channel delivers it: the complete set as the
   * connection's first message, then the changes since the message before (tasks new to the set or
   * whose desiredStatus or DEACTIVATING changed, and the ARNs of those gone), as the server
   * computes them; a task definition goes only with the first task of it since the last {@link
   * #reconnect}. The connection's copy of the set, completed with its definitions, goes to the
   * engine.
   */
  void sendOverChannel(Tasks.Placed... tasks) {
    boolean first = connectionSent == null;
    ObjectNode message = Json.object();
    message.put("type", first ? "tasks" : "taskChanges");
    ArrayNode entries = message.putArray("tasks");
    Map<String, String> before = first ? Map.of() : connectionSent;
    connectionSent = new HashMap<>();
    for (Tasks.Placed task : tasks) {
      sent.add(task.arn());
      String what =
          task.task().path("desiredStatus").asText()
              + "DEACTIVATING".equals(task.task().path("lastStatus").asText());
      connectionSent.put(task.arn(), what);
      if (what.equals(before.get(task.arn()))) {
        continue;
      }
      ObjectNode item = entries.addObject();
      item.set("task", task.task().deepCopy());
      if (definitionsSent.add(task.taskDefinition().path("taskDefinitionArn").asText())) {
        item.set("taskDefinition", task.taskDefinition());
      }
    }
    if (!first) {
      ArrayNode removed = message.putArray("removed");
      for (String arn : before.keySet()) {
        if (!connectionSent.containsKey(arn)) {
          removed.add(arn);
        }
      }
      if (entries.isEmpty() && removed.isEmpty()) {
        // The server sends nothing when nothing changed.
        return;
      }
    }
    engine.reconcile(connection.apply(message));
  }

  /** Starts a new channel connection: the server sends the complete set and every definition. */
  void reconnect() {
    connection = new ConnectionTaskSet();
    connectionSent = null;
    definitionsSent.clear();
  }

  /** Returns a TCP port nothing on this host listens on now. */
  static int freePort() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops what the test left running, so no runner outlives its test (the engine's close does not
   * stop them), then closes the engine and the reporter. Waits are bounded; a task that never stops
   * is left to its daemon thread.
   */
  @Override
  public void close() throws InterruptedException {
    try {
      engine.reconcile(Tasks.taskSet());
      for (String arn : sent) {
        if (!reports.taskStatuses(arn).isEmpty() && !reports.wasStopped(arn)) {
          try {
            reports.awaitTask(arn, "STOPPED");
          } catch (AssertionError leftRunning) {
            // The test has failed already or means to leave it; nothing more to do here.
          }
        }
      }
    } finally {
      engine.close();
      reporter.close();
    }
  }
}
