package dev.berth.bench;

import dev.berth.app.DockerHostOption;
import dev.berth.app.Durations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth bench}: Berth's benchmarks, each printing a JSON summary as its last line. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Runs a benchmark; the last line of its output is one JSON object.",
    subcommands = {
      BenchCommand.Api.class,
      BenchCommand.Start.class,
      BenchCommand.Placement.class,
      BenchCommand.Services.class,
      BenchCommand.Dns.class,
      BenchCommand.Lb.class
    })
public final class BenchCommand {
  /** Creates the command; berth's Main finds it by name when berth-bench is on the class path. */
  public BenchCommand() {}

  /** {@code berth bench lb}: the built-in load balancer beside nginx in front of one backend. */
  @Command(
      name = "lb",
      mixinStandardHelpOptions = true,
      description =
          "Starts an nginx backend, an nginx reverse proxy and a server in-process with an ELB"
              + " listener in front of the same backend, and drives both proxies with wrk in"
              + " alternating rounds; needs nginx and wrk (Debian packages of those names).")
  static final class Lb implements Callable<Integer> {
    @Option(
        names = "--connections",
        description = "wrk connections (default: ${DEFAULT-VALUE}).",
        defaultValue = "64")
    int connections;

    @Option(
        names = "--threads",
        description = "wrk threads (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int threads;

    @Option(
        names = "--duration",
        description = "Measured time per round and proxy, e.g. 10s (default: ${DEFAULT-VALUE}).",
        defaultValue = "10s")
    String duration;

    @Option(
        names = "--rounds",
        description = "Alternating rounds (default: ${DEFAULT-VALUE}).",
        defaultValue = "3")
    int rounds;

    @Override
    public Integer call() throws Exception {
      new LbBenchmark(connections, threads, Durations.parse(duration), rounds).run(System.out);
      return 0;
    }
  }

  /** {@code berth bench api}: signed-request throughput and latency of the ECS API. */
  @Command(
      name = "api",
      mixinStandardHelpOptions = true,
      description =
          "Starts a server in-process on a temporary store and drives RegisterTaskDefinition, then "
              + "DescribeTaskDefinition, through the AWS SDK with several clients in parallel.")
  static final class Api implements Callable<Integer> {
    @Option(
        names = "--clients",
        description = "Parallel clients (default: ${DEFAULT-VALUE}).",
        defaultValue = "16")
    int clients;

    @Mixin MeasuredTime time = new MeasuredTime();

    @Override
    public Integer call() throws Exception {
      new ApiBenchmark(clients, time.warmup(), time.duration()).run(System.out);
      return 0;
    }
  }

  /** {@code berth bench start}: time from RunTask to RUNNING beside a bare Docker start. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Starts a server and an agent in-process on a temporary store and the local Docker"
              + " engine, and times RunTask until DescribeTasks says RUNNING, alternating with a"
              + " bare create and start of the same container through the Docker Engine API.")
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--iterations",
        description = "Measured starts of each kind (default: ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int iterations;

    @Option(
        names = "--warmup",
        description =
            "Unmeasured starts of each kind before measuring (default: ${DEFAULT-VALUE}).",
        defaultValue = "3")
    int warmup;

    @Mixin DockerHostOption docker = new DockerHostOption();

    @Override
    public Integer call() throws Exception {
      new StartBenchmark(iterations, warmup, docker.dockerHost()).run(System.out);
      return 0;
    }
  }

  /** {@code berth bench placement}: RunTask placement throughput on simulated instances. */
  @Command(
      name = "placement",
      mixinStandardHelpOptions = true,
      description =
          "Starts a server in-process on a temporary store, registers simulated container"
              + " instances whose agents hold the real agent channel and report their tasks"
              + " RUNNING, warms the server up with rounds of tasks placed, run and stopped, and"
              + " then measures placing tasks with signed RunTask calls, 10 a call.")
  static final class Placement implements Callable<Integer> {
    /** The warm-up round's tasks unless asked: what 5,000 instances' warm-up was measured with. */
    static final int DEFAULT_WARMUP_TASKS = 20_000;

    @Option(
        names = "--instances",
        description = "Container instances (default: ${DEFAULT-VALUE}).",
        defaultValue = "1000")
    int instances;

    @Option(
        names = "--tasks",
        description = "Tasks to place (default: ${DEFAULT-VALUE}).",
        defaultValue = "10000")
    int tasks;

    @Option(
        names = "--strategy",
        description = "binpack, spread or random (default: ${DEFAULT-VALUE}).",
        defaultValue = "binpack")
    String strategy;

    @Option(
        names = "--clients",
        description =
            "Parallel RunTask clients, each a keep-alive connection with one call in flight"
                + " (default: ${DEFAULT-VALUE}).",
        defaultValue = "8")
    int clients;

    @Option(
        // Declared in the negative form: picocli then sets false for --no-agents-process and
        // true for --agents-process, the default being true.
        names = "--no-agents-process",
        negatable = true,
        description =
            "Runs the simulated agents in a child JVM, as real agents run on hosts of their own,"
                + " so that each process holds one end of each agent channel: about one open file"
                + " per instance instead of two; --no-agents-process runs them in the benchmark's"
                + " process (default: true).")
    boolean agentsProcess = true;

    @Option(
        names = "--warmup-tasks",
        description =
            "Tasks to place, run and stop first in each warm-up round, unmeasured, while the JIT"
                + " compiles the server's paths; 0 measures a freshly started server (default: the"
                + " smaller of --tasks and "
                + DEFAULT_WARMUP_TASKS
                + ").")
    Integer warmupTasks;

    /** Returns the warm-up round's tasks: as asked, else the smaller of the tasks and 20,000. */
    int warmupTasks() {
      return warmupTasks != null ? warmupTasks : Math.min(tasks, DEFAULT_WARMUP_TASKS);
    }

    @Option(
        names = "--warmup-rounds",
        description =
            "Times to place, run and stop the warm-up's tasks; C2 compiles a method run once a"
                + " RunTask call only after some 50,000 placements (default: ${DEFAULT-VALUE}).",
        defaultValue = "5")
    int warmupRounds;

    @Override
    public Integer call() throws Exception {
      new PlacementBenchmark(
              instances, tasks, strategy, clients, agentsProcess, warmupTasks(), warmupRounds)
          .run(System.out);
      return 0;
    }
  }

  /** {@code berth bench dns}: queries per second of the DNS server over UDP. */
  @Command(
      name = "dns",
      mixinStandardHelpOptions = true,
      description =
          "Starts a server in-process with a private DNS namespace and a service with A and SRV"
              + " records, and sends it UDP queries (A and SRV alternately) from several client"
              + " threads, each with a window of queries in flight.")
  static final class Dns implements Callable<Integer> {
    @Option(
        names = "--clients",
        description = "Client threads, each with its own socket (default: ${DEFAULT-VALUE}).",
        defaultValue = "4")
    int clients;

    @Option(
        names = "--window",
        description = "Queries in flight per client (default: ${DEFAULT-VALUE}).",
        defaultValue = "32")
    int window;

    @Option(
        names = "--instances",
        description = "Registered instances of the service (default: ${DEFAULT-VALUE}).",
        defaultValue = "3")
    int instances;

    @Mixin MeasuredTime time = new MeasuredTime();

    @Override
    public Integer call() throws Exception {
      new DnsBenchmark(clients, window, instances, time.warmup(), time.duration()).run(System.out);
      return 0;
    }
  }

  /** {@code berth bench services}: the service scheduler converging at scale. */
  @Command(
      name = "services",
      mixinStandardHelpOptions = true,
      description =
          "Starts a server in-process on a temporary store, registers simulated container"
              + " instances whose agents hold the real agent channel and report their tasks"
              + " RUNNING (and STOPPED when asked), creates services through the signed API and"
              + " times their steady state, then a rolling update of all of them.")
  static final class Services implements Callable<Integer> {
    @Option(
        names = "--instances",
        description = "Container instances (default: ${DEFAULT-VALUE}).",
        defaultValue = "5000")
    int instances;

    @Option(
        names = "--services",
        description = "Services (default: ${DEFAULT-VALUE}).",
        defaultValue = "1000")
    int services;

    @Option(
        names = "--tasks-per-service",
        description = "Desired count of each service (default: ${DEFAULT-VALUE}).",
        defaultValue = "10")
    int tasksPerService;

    @Option(
        names = "--clients",
        description = "Parallel API clients (default: ${DEFAULT-VALUE}).",
        defaultValue = "8")
    int clients;

    @Override
    public Integer call() throws Exception {
      new ServicesBenchmark(instances, services, tasksPerService, clients).run(System.out);
      return 0;
    }
  }
}
