package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Removes the events older than their group's retention period, a bounded number per write so that
 * PutLogEvents keeps flowing while a large backlog expires.
 */
final class RetentionSweep {
  /** The most events one write of the sweep removes. */
  static final int EVENTS_PER_WRITE = 10_000;

  private static final long DAY_MILLIS = 24 * 3600_000L;

  private final LogStore store;
  private final Clock clock;

  /** Creates the sweep over the store; what is old is judged by the clock. */
  RetentionSweep(LogStore store, Clock clock) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
  }

  /** Runs one sweep of every group with a retention policy; returns the events removed. */
  long run() {
    long now = clock.millis();
    List<long[]> groups =
        store
            .read(
                connection -> {
                  List<long[]> found = new ArrayList<>();
                  try (PreparedStatement query =
                          connection.prepareStatement(
                              "SELECT id, retention_days FROM log_groups"
                                  + " WHERE retention_days IS NOT NULL");
                      ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                      found.add(new long[] {rows.getLong(1), rows.getLong(2)});
                    }
                  }
                  return found;
                })
            .join();
    long removed = 0;
    for (long[] group : groups) {
      long cutoff = now - group[1] * DAY_MILLIS;
      int batch;
      do {
        CompletableFuture<Integer> write =
            store.write(
                0,
                connection -> LogEventTable.expire(connection, group[0], cutoff, EVENTS_PER_WRITE));
        batch = write.join();
        removed += batch;
      } while (batch == EVENTS_PER_WRITE);
    }
    return removed;
  }
}
