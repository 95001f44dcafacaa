package dev.berth.bench;

import dev.berth.app.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The --warmup and --duration options of the benchmarks that measure for a while. */
final class MeasuredTime {
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

  /** Returns the measured time. */
  Duration duration() {
    return Durations.parse(duration);
  }

  /** Returns the unmeasured time before it. */
  Duration warmup() {
    return Durations.parse(warmup);
  }
}
