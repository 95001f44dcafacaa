package dev.berth.server.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/** Picks a target among the healthy ones by the target group's algorithm. */
final class Balancer {
  private final AtomicInteger cursor = new AtomicInteger();

  /**
   * Returns the next target: round robin takes each in turn; least outstanding requests takes the
   * one with the fewest requests in flight, starting its scan at the round robin position so that
   * ties are spread instead of always hitting the first target. Returns null if there is none.
   */
  <T> T pick(Algorithm algorithm, T[] healthy, ToIntFunction<T> outstanding) {
    int count = healthy.length;
    if (count == 0) {
      return null;
    }
    int start = Math.floorMod(cursor.getAndIncrement(), count);
    if (algorithm == Algorithm.ROUND_ROBIN || count == 1) {
      return healthy[start];
    }
    T best = healthy[start];
    int fewest = outstanding.applyAsInt(best);
    for (int i = 1; i < count && fewest > 0; i++) {
      T candidate = healthy[(start + i) % count];
      int load = outstanding.applyAsInt(candidate);
      if (load < fewest) {
        best = candidate;
        fewest = load;
      }
    }
    return best;
  }
}
