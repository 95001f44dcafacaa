package dev.berth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the used heap of this process every few milliseconds and keeps the largest value, a lower
 * bound on the true peak that is close to it at this rate of sampling.
 */
final class HeapSampler implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 20;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /** Starts sampling on a daemon thread. */
  HeapSampler() {
    thread = Thread.ofPlatform().daemon().name("bench-heap").start(this::sample);
  }

  /** Returns the largest used heap seen, in MiB. */
  long peakMiB() {
    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    return peak.get() >> 20;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  private void sample() {
    while (!closed) {
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
