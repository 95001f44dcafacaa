package dev.berth.server.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the control loop runs its controllers' passes and outlives their failures. */
class ControlLoopTest {
  /** A controller whose passes answer as the test says, counting them. */
  private static final class Scripted implements Controller {
    final AtomicInteger passes = new AtomicInteger();
    volatile CompletableFuture<Void> next = CompletableFuture.completedFuture(null);
    volatile RuntimeException thrown;

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public CompletableFuture<Void> pass() {
      passes.incrementAndGet();
      if (thrown != null) {
        throw thrown;
      }
      return next;
    }
  }

  private final Scripted controller = new Scripted();

  @Test
  void aPassThatCompletesCountsAsDone() {
    assertThat(new ControlLoop(Duration.ofSeconds(5)).runPass(controller)).isTrue();
    assertThat(controller.passes).hasValue(1);
  }

  @Test
  void aPassThatFailsOrThrowsIsLoggedAndTheLoopGoesOn() {
    ControlLoop loop = new ControlLoop(Duration.ofSeconds(5));
    controller.next = CompletableFuture.failedFuture(new IllegalStateException("store failing"));
    assertThat(loop.runPass(controller)).isFalse();

    controller.thrown = new IllegalStateException("bug");
    assertThat(loop.runPass(controller)).isFalse();

    controller.thrown = null;
    controller.next = CompletableFuture.completedFuture(null);
    assertThat(loop.runPass(controller)).isTrue();
    assertThat(controller.passes).hasValue(3);
  }

  @Test
  void aPassThatOutlastsTheTimeoutIsGivenUpOnSoTheNextCanRun() {
    controller.next = new CompletableFuture<>();
    assertThat(new ControlLoop(Duration.ofMillis(1)).runPass(controller)).isFalse();
  }

  @Test
  void aStartedLoopRunsEachControllerAgainAndAgainUntilClosed() {
    try (ControlLoop loop = new ControlLoop(Duration.ofSeconds(5))) {
      loop.add(controller, Duration.ofMillis(10)).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> controller.passes.get() >= 3);
    }
  }

  @Test
  void aControllerNeedsAPositiveInterval() {
    assertThatThrownBy(() -> new ControlLoop(Duration.ofSeconds(5)).add(controller, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
