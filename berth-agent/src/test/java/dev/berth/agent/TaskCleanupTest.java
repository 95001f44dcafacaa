package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCleanupTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final TaskCleanup cleanup = new TaskCleanup(Duration.ofHours(1), clock);
  private final List<String> removed = new ArrayList<>();

  @Test
  void taskIsRemovedOnceTheWaitHasPassedSinceItStopped() {
    cleanup.schedule("a", clock.instant().minus(Duration.ofMinutes(10)), () -> removed.add("a"));
    cleanup.schedule("b", clock.instant(), () -> removed.add("b"));

    clock.advance(Duration.ofMinutes(49));
    cleanup.runDue();
    assertThat(removed).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    cleanup.runDue();
    assertThat(removed).containsExactly("a");

    clock.advance(Duration.ofMinutes(10));
    cleanup.runDue();
    assertThat(removed).containsExactly("a", "b");
    assertThat(cleanup.pending()).isZero();
  }

  @Test
  void removalThatFailsDoesNotKeepTheOthers() {
    cleanup.schedule(
        "a",
        clock.instant(),
        () -> {
          throw new IllegalStateException("Docker refused");
        });
    cleanup.schedule("b", clock.instant(), () -> removed.add("b"));
    clock.advance(Duration.ofHours(1));

    cleanup.runDue();

    assertThat(removed).containsExactly("b");
  }
}
