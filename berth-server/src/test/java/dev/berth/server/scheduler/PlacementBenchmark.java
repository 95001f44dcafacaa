package dev.berth.server.scheduler;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.Resources;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The placement engine alone, without the API, the writer or the store: one RunTask of ten tasks
 * (256 CPU units, 512 MiB) per operation on N instances of 4,096 units and 16,384 MiB in three
 * zones, half full, in a steady state where each call also stops the ten oldest tasks. Ten times
 * the operations per second is placements per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlacementBenchmark {
  private static final Resources DEMAND = new Resources(256, 512, List.of(), List.of());
  private static final String GROUP = "family:bench";

  @Param({"1000", "5000", "20000"})
  public int instances;

  @Param({"binpack", "spread"})
  public String strategy;

  private PlacementIndex index;
  private ChainedPlacement placement;
  private PlacementRequest request;
  private final ArrayDeque<InstanceSlot> placed = new ArrayDeque<>();

  /** Builds the fleet and fills it to half its capacity through the engine itself. */
  @Setup(Level.Trial)
  public void setUp() {
    index = new PlacementIndex();
    placement = new ChainedPlacement(new SplittableRandom(1));
    for (int i = 0; i < instances; i++) {
      ContainerInstance instance =
          new ContainerInstance(
              "arn:aws:ecs:us-east-1:000000000000:container-instance/bench/" + i,
              "i-" + i,
              ContainerInstance.ACTIVE,
              new Resources(4096, 16384, List.of(22), List.of()),
              List.of(new Attribute("ecs.availability-zone", "zone-" + "abc".charAt(i % 3))),
              null,
              List.of(),
              i,
              null,
              1);
      index.put(instance, true, Resources.NONE, List.of());
    }
    PlacementStrategy chosen =
        strategy.equals("binpack")
            ? PlacementStrategy.of("binpack", "memory")
            : PlacementStrategy.of("spread", "attribute:ecs.availability-zone");
    request = new PlacementRequest(DEMAND, 10, GROUP, List.of(), List.of(chosen), List.of());
    long half = (long) instances * 16 / 2;
    while (placed.size() < half) {
      runTask();
    }
  }

  /** Places one RunTask of ten tasks and stops the ten oldest. */
  @Benchmark
  public int runTaskOfTen() {
    int count = runTask();
    for (int i = 0; i < 10; i++) {
      index.release(placed.removeFirst(), DEMAND, GROUP);
    }
    return count;
  }

  private int runTask() {
    Placement result = placement.place(request, index);
    for (String arn : result.chosen()) {
      placed.addLast(index.get(arn));
    }
    if (result.chosen().size() != 10) {
      throw new IllegalStateException("the fleet is full: " + result.failures().size());
    }
    return result.chosen().size();
  }

  /** Runs the benchmarks; arguments are JMH's (e.g. {@code -p instances=5000}). */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    new Runner(
            new OptionsBuilder()
                .include(PlacementBenchmark.class.getSimpleName())
                .parent(new CommandLineOptions(args))
                .build())
        .run();
  }
}
