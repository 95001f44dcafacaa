package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The services of one cluster by name, INACTIVE ones included. Records are replayed by the
 * cluster's writer; reads are safe from any thread.
 */
public final class Services {
  private final ConcurrentSkipListMap<String, Service> byName = new ConcurrentSkipListMap<>();

  Services() {}

  /** Returns the service of that name, or null. */
  public Service get(String name) {
    return byName.get(requireNonNull(name));
  }

  /** Returns every service, ordered by name; a read-only view. */
  public Collection<Service> all() {
    return Collections.unmodifiableCollection(byName.values());
  }

  /** Returns how many services are ACTIVE. */
  public int activeCount() {
    int count = 0;
    for (Service service : byName.values()) {
      if (service.isActive()) {
        count++;
      }
    }
    return count;
  }

  /** Returns true if any service is ACTIVE or DRAINING: one the scheduler still has work for. */
  public boolean anyScheduled() {
    for (Service service : byName.values()) {
      if (!Service.INACTIVE.equals(service.status())) {
        return true;
      }
    }
    return false;
  }

  void replay(Service service) {
    byName.put(service.name(), service);
  }

  void remove(String arn) {
    byName.values().removeIf(service -> service.arn().equals(arn));
  }
}
