package dev.berth.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it on. */
final class TestClock extends Clock {
  private volatile Instant now;
  private volatile Runnable onAdvance = () -> {};

  TestClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock on, then runs what waits on time passing, as a scheduler would. */
  void advance(Duration duration) {
    now = now.plus(duration);
    onAdvance.run();
  }

  /** Sets what runs each time the clock moves on, e.g. the engine's periodic reconcile. */
  void onAdvance(Runnable action) {
    onAdvance = action;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
