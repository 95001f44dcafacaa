package dev.berth.app.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The simulated agents of a benchmark in one process: they share one {@link HttpClient} whose
 * frames two threads carry, send a heartbeat every 5 seconds, and count the server's answers to
 * their state reports.
 */
final class AgentFleet implements AutoCloseable {
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final List<SimulatedAgent> agents = new ArrayList<>();
  // Two threads carry every channel's frames; the JDK client adds one selector thread.
  private final ExecutorService channelThreads =
      Executors.newFixedThreadPool(
          2, Thread.ofPlatform().daemon().name("bench-channel-", 0).factory());
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("bench-heartbeat").factory());
  private final HttpClient http = HttpClient.newBuilder().executor(channelThreads).build();

  /**
   * Opens the agent channel of each instance of the cluster, whose tasks have one container of that
   * name, and starts the heartbeats; returns once every channel has had its first task set.
   */
  void connect(
      URI endpoint,
      AwsCredentialsProvider credentials,
      String cluster,
      String container,
      List<String> arns)
      throws Exception {
    PlacementBenchmark.connect(
        http, endpoint, credentials, cluster, container, arns, acknowledged, refused, agents);
    heartbeats.scheduleAtFixedRate(
        () -> agents.forEach(SimulatedAgent::heartbeat), 5, 5, TimeUnit.SECONDS);
  }

  /** Returns the number of channels opened. */
  int size() {
    return agents.size();
  }

  /** Returns the state changes the server has acknowledged. */
  long acknowledged() {
    return acknowledged.sum();
  }

  /** Returns the state changes the server has refused. */
  long refused() {
    return refused.sum();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    agents.forEach(SimulatedAgent::close);
    http.close();
    channelThreads.shutdownNow();
  }
}
