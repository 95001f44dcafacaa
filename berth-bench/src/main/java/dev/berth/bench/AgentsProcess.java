package dev.berth.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The placement benchmark's simulated agents in a JVM of their own, so that the benchmark's process
 * holds only the server's end of each agent channel and the agents' process only the other: each
 * then needs about one open file per instance instead of two.
 *
 * <p>The benchmark starts this class's {@link #main} with its own {@code java} and class path
 * ({@link #start}), giving the endpoint, cluster and container name as arguments, and the access
 * key id, the secret key and the instance ARNs as lines on standard input, ended by an empty line.
 * The child opens every channel through {@link AgentFleet} (the same {@link SimulatedAgent}s as the
 * in-process mode) and prints {@code opened CHANNELS MILLIS}, then {@code status ACKNOWLEDGED
 * REFUSED CPU_NANOS PEAK_HEAP_MIB} every 5 ms while the counts change and every 500 ms otherwise.
 * It closes its channels and exits when its standard input ends, which is how the benchmark stops
 * it, and also what happens when the benchmark dies.
 */
public final class AgentsProcess implements AutoCloseable {
  private static final long STATUS_MILLIS = 5;
  private static final long IDLE_STATUS_MILLIS = 500;

  private final Process process;
  private final Thread reader;
  private final Thread destroyOnExit;
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch reported = new CountDownLatch(1);
  private volatile int channels = -1;
  private volatile long acknowledged;
  private volatile long refused;
  private volatile long cpuNanos;
  private volatile long peakHeapMiB;

  private AgentsProcess(Process process) {
    this.process = process;
    this.reader =
        Thread.ofPlatform().daemon().name("bench-agents-process").start(this::readReports);
    // Ctrl-C ends the benchmark through its shutdown hooks, which do not run finally blocks.
    this.destroyOnExit = new Thread(process::destroyForcibly, "bench-agents-process-destroy");
    Runtime.getRuntime().addShutdownHook(destroyOnExit);
  }

  /**
   * Starts the agents of these instances of the cluster, whose tasks have one container of that
   * name, in a child JVM; returns once every channel has had its first task set and the child has
   * reported its CPU time since. The child's standard error goes to this process's. A {@code
   * longRun}, one with a warm-up, gets the child's C2 compiler too.
   */
  static AgentsProcess start(
      URI endpoint,
      AwsCredentialsProvider credentials,
      String cluster,
      String container,
      List<String> arns,
      boolean longRun)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                // The child's work is small: in a short run C1's code does it at a fraction of the
                // compile time C2 would spend, while a run with a warm-up has C2 compile it then,
                // and C2's code then does it in less time (8-10 us a task at 5,000 instances, where
                // C1's took 14-19). The serial collector needs no threads of its own on a machine
                // whose cores the server being measured needs.
                "-XX:TieredStopAtLevel=" + (longRun ? 4 : 1),
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                AgentsProcess.class.getName(),
                endpoint.toString(),
                cluster,
                container)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    AgentsProcess child = new AgentsProcess(process);
    try {
      Writer input =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      var key = credentials.resolveCredentials();
      input.write(key.accessKeyId() + "\n" + key.secretAccessKey() + "\n");
      for (String arn : arns) {
        input.write(arn + "\n");
      }
      input.write("\n");
      input.flush();
      // Channels open at a few thousand a second; this bound is the in-process mode's.
      if (!child.opened.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the agents process opened no channels in 10 minutes");
      }
      if (child.channels < 0) {
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "the agents process ended before opening its channels"
                + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
                + "; its messages are above");
      }
      if (child.channels != arns.size()) {
        throw new IllegalStateException(
            "the agents process opened " + child.channels + " of " + arns.size() + " channels");
      }
      // The child reports its CPU time first just after opening its channels: a benchmark that
      // read it before then would count the opening's CPU time as its own.
      if (!child.reported.await(1, TimeUnit.MINUTES) || child.cpuNanos == 0) {
        throw new IllegalStateException("the agents process reported no status after opening");
      }
      return child;
    } catch (Exception | Error e) {
      child.close();
      throw e;
    }
  }

  /** Returns the number of channels the child opened. */
  int channels() {
    return channels;
  }

  /** Returns the state changes the server has acknowledged, as the child last reported. */
  long acknowledged() {
    return acknowledged;
  }

  /** Returns the state changes the server has refused, as the child last reported. */
  long refused() {
    return refused;
  }

  /** Returns the CPU time the child has used, as it last reported. */
  long cpuNanos() {
    return cpuNanos;
  }

  /** Returns the largest used heap the child has seen, in MiB, as it last reported. */
  long peakHeapMiB() {
    return peakHeapMiB;
  }

  /** Returns whether the child is still running. */
  boolean alive() {
    return process.isAlive();
  }

  /** Ends the child's input, so that it closes its channels, and destroys it if it lingers. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // The child is gone already.
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(destroyOnExit);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook destroys the child.
      }
      reader.interrupt();
    }
  }

  private void readReports() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] words = line.split(" ");
        switch (words[0]) {
          case "opened" -> {
            channels = Integer.parseInt(words[1]);
            opened.countDown();
          }
          case "status" -> {
            acknowledged = Long.parseLong(words[1]);
            refused = Long.parseLong(words[2]);
            cpuNanos = Long.parseLong(words[3]);
            peakHeapMiB = Long.parseLong(words[4]);
            reported.countDown();
          }
          default -> System.err.println("agents process: " + line);
        }
      }
    } catch (IOException e) {
      // The child's output ended with it.
    } finally {
      opened.countDown();
      reported.countDown();
    }
  }

  /**
   * The child: {@code AgentsProcess ENDPOINT CLUSTER CONTAINER}, with the access key id, the secret
   * key and the instance ARNs on standard input, one a line, ended by an empty line.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: AgentsProcess ENDPOINT CLUSTER CONTAINER < keys-and-arns");
      System.exit(2);
    }
    BufferedReader input =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String accessKeyId = input.readLine();
    String secretKey = input.readLine();
    List<String> arns = new ArrayList<>();
    for (String line = input.readLine(); line != null && !line.isEmpty(); line = input.readLine()) {
      arns.add(line);
    }
    AwsCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey));
    PrintStream out = System.out;
    try (AgentFleet fleet = new AgentFleet();
        HeapSampler heap = new HeapSampler()) {
      long started = System.nanoTime();
      PlacementBenchmark.requireOpenFiles(arns.size(), arns.size() + " agent channels");
      fleet.connect(URI.create(args[0]), credentials, args[1], args[2], arns);
      out.println("opened " + fleet.size() + " " + PlacementBenchmark.millisSince(started));
      out.flush();
      Thread reporter =
          Thread.ofPlatform().daemon().name("bench-agents-status").start(() -> report(fleet, heap));
      // Blocks until the benchmark closes this process's input, or dies.
      while (input.readLine() != null) {
        // Nothing more is expected.
      }
      reporter.interrupt();
    } catch (Exception e) {
      System.err.println("agents process: " + e);
      System.exit(1);
    }
    System.exit(0);
  }

  private static void report(AgentFleet fleet, HeapSampler heap) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long lastAcknowledged = -1;
    long lastRefused = -1;
    long lastPrinted = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long acknowledged = fleet.acknowledged();
      long refused = fleet.refused();
      long now = System.nanoTime();
      if (acknowledged != lastAcknowledged
          || refused != lastRefused
          || now - lastPrinted > TimeUnit.MILLISECONDS.toNanos(IDLE_STATUS_MILLIS)) {
        System.out.println(
            "status "
                + acknowledged
                + " "
                + refused
                + " "
                + os.getProcessCpuTime()
                + " "
                + heap.peakMiB());
        System.out.flush();
        lastAcknowledged = acknowledged;
        lastRefused = refused;
        lastPrinted = now;
      }
      try {
        Thread.sleep(STATUS_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
