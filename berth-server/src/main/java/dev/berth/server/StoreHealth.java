package dev.berth.server;

import static java.util.Objects.requireNonNull;

import dev.berth.store.Mutation;
import dev.berth.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether the store takes writes, for {@code GET /health}: healthy until a write fails, failing
 * until one succeeds again. While it is failing, each health check (at most one at a time) writes a
 * small probe row, so that health recovers once the store does even when no request writes.
 */
final class StoreHealth implements Supplier<String> {
  /** The kind of the one probe row; no state is ever loaded from it. */
  static final String PROBE_KIND = "health-probe";

  private final Store store;
  private final Clock clock;
  private final AtomicBoolean probing = new AtomicBoolean();

  StoreHealth(Store store, Clock clock) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
  }

  /** Returns why the store is failing, or null if its last write succeeded. */
  @Override
  public String get() {
    String failure = store.writeFailure();
    if (failure != null && probing.compareAndSet(false, true)) {
      try {
        store
            .commit(List.of(Mutation.put(PROBE_KIND, "probe", "{\"at\":" + clock.millis() + "}")))
            .whenComplete((ignored, error) -> probing.set(false));
      } catch (RuntimeException e) {
        probing.set(false);
      }
    }
    return failure == null ? null : "store failing: " + failure;
  }
}
