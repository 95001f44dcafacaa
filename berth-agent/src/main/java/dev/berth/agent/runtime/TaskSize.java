package dev.berth.agent.runtime;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Reads a task definition's task-level {@code cpu} and {@code memory}, which ECS accepts as plain
 * units ({@code "1024"}) or with a unit ({@code "1 vCPU"}, {@code "2 GB"}).
 */
final class TaskSize {
  private TaskSize() {}

  /** Returns the task's CPU units (1024 per vCPU), or null when it sets none. */
  static Integer cpuUnits(String cpu, String containerName) {
    if (cpu == null || cpu.isBlank()) {
      return null;
    }
    String text = cpu.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("vcpu")) {
        return scaled(text.substring(0, text.length() - 4), 1024);
      }
      return Integer.valueOf(text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw ContainerSpecs.refuse(containerName, "cannot read the task cpu " + cpu);
    }
  }

  /** Returns the task's memory in MiB, or null when it sets none. */
  static Long memoryMiB(String memory, String containerName) {
    if (memory == null || memory.isBlank()) {
      return null;
    }
    String text = memory.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("gb")) {
        return (long) scaled(text.substring(0, text.length() - 2), 1024);
      }
      if (text.endsWith("mb")) {
        text = text.substring(0, text.length() - 2).trim();
      }
      return Long.valueOf(text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw ContainerSpecs.refuse(containerName, "cannot read the task memory " + memory);
    }
  }

  private static int scaled(String number, int factor) {
    return new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(factor)).intValueExact();
  }
}
