package dev.berth.app;

import dev.berth.app.bench.ApiBenchmark;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth bench}: Berth's benchmarks, each printing a JSON summary as its last line. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Runs a benchmark; the last line of its output is one JSON object.",
    subcommands = {BenchCommand.Api.class})
final class BenchCommand {
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

    @Option(
        names = "--duration",
        description = "Measured time per operation, e.g. 20s (default: ${DEFAULT-VALUE}).",
        defaultValue = "20s")
    String duration;

    @Option(
        names = "--warmup",
        description = "Unmeasured time per operation before measuring (default: ${DEFAULT-VALUE}).",
        defaultValue = "5s")
    String warmup;

    @Override
    public Integer call() throws Exception {
      new ApiBenchmark(clients, parse(warmup), parse(duration)).run(System.out);
      return 0;
    }

    private static Duration parse(String text) {
      return Duration.parse("PT" + text.toUpperCase());
    }
  }
}
