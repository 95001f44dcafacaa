package dev.berth.server.dns;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Record;

/**
 * The records of one name and type with their health: a query is answered from the healthy ones,
 * or, when none is healthy, from all of them (Route 53 fails open the same way).
 */
public record RecordSet(int type, Routing routing, List<Record> healthy, List<Record> all) {
  /** Creates a set; the lists are copied and every healthy record must also be in all. */
  public RecordSet {
    requireNonNull(routing);
    healthy = List.copyOf(healthy);
    all = List.copyOf(all);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("a record set needs at least one record");
    }
  }

  /** Returns the records of one answer, chosen by the routing policy. */
  public List<Record> answer() {
    List<Record> candidates = healthy.isEmpty() ? all : healthy;
    int wanted = routing == Routing.WEIGHTED ? 1 : Routing.MULTIVALUE_LIMIT;
    if (candidates.size() <= wanted) {
      return candidates;
    }
    // A partial Fisher-Yates shuffle: different resolvers get different subsets.
    List<Record> pool = new ArrayList<>(candidates);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < wanted; i++) {
      int j = i + random.nextInt(pool.size() - i);
      Record swap = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, swap);
    }
    return pool.subList(0, wanted);
  }
}
