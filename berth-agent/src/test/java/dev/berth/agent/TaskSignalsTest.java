package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskSignalsTest {
  private final TaskSignals signals = new TaskSignals();

  @Test
  void wakeUpThatComesBeforeTheRunnerWaitsIsNotLost() throws Exception {
    signals.wake();

    // Returns at once: the wake-up was kept for it.
    signals.await(null);

    assertThat(signals.stopRequested()).isFalse();
  }

  @Test
  void timedWaitEndsWithoutAWakeUp() throws Exception {
    signals.await(Duration.ofMillis(1));

    assertThat(signals.detached()).isFalse();
  }

  @Test
  void stopRequestEndsTheWaitAndKeepsTheFirstReason() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Void> runner =
        CompletableFuture.runAsync(
            () -> {
              try {
                waiting.countDown();
                signals.await(null);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    waiting.await();

    signals.requestStop("Task stopped by the user");
    signals.requestStop("Task stopped by the server");

    runner.get(10, TimeUnit.SECONDS);
    assertThat(signals.stopReason()).isEqualTo("Task stopped by the user");
  }

  @Test
  void wakeUpIsHandledOnceTheRunnerWaitsAgain() throws Exception {
    long ticket = signals.wake();
    assertThat(signals.awaitHandled(ticket, Duration.ofMillis(1))).isFalse();

    signals.await(null);
    CompletableFuture<Void> next =
        CompletableFuture.runAsync(
            () -> {
              try {
                signals.await(null);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(signals.awaitHandled(ticket, Duration.ofSeconds(10))).isTrue();
    signals.detach();
    next.get(10, TimeUnit.SECONDS);
  }
}
