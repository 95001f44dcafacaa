package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchPlacementOptionsTest {
  @Test
  void byDefaultTheServerIsWarmedUpAndTheAgentsRunInAChildProcess() {
    BenchCommand.Placement placement = parse("--instances", "5000", "--tasks", "50000");

    assertThat(placement.agentsProcess).isTrue();
    assertThat(placement.warmupTasks()).isEqualTo(20_000);
    assertThat(placement.warmupRounds).isEqualTo(5);
  }

  @Test
  void theWarmUpIsNoLargerThanTheRunItself() {
    assertThat(parse("--tasks", "500").warmupTasks()).isEqualTo(500);
  }

  @Test
  void aFreshServerAndAgentsInTheSameProcessAreAskedFor() {
    BenchCommand.Placement placement = parse("--warmup-tasks", "0", "--no-agents-process");

    assertThat(placement.warmupTasks()).isZero();
    assertThat(placement.agentsProcess).isFalse();
    assertThat(parse("--agents-process").agentsProcess)
        .as("the flag still asks for the child, as before")
        .isTrue();
  }

  private static BenchCommand.Placement parse(String... args) {
    BenchCommand.Placement placement = new BenchCommand.Placement();
    new CommandLine(placement).parseArgs(args);
    return placement;
  }
}
