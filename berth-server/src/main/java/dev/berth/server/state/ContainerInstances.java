package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The container instances of one cluster, ordered by ARN, and which of them have an agent
 * connected. Records are replayed by the cluster's writer; reads are safe from any thread.
 */
public final class ContainerInstances {
  // Ordered for listing, keyed by the ARN's last part: the ARNs of one cluster differ only there,
  // and comparing whole ARNs would read their shared first forty-odd characters at every step.
  // The hash map answers lookups by ARN.
  private final ConcurrentSkipListMap<String, ContainerInstance> byId =
      new ConcurrentSkipListMap<>();
  private final Map<String, ContainerInstance> lookup = new ConcurrentHashMap<>();
  private final Set<String> connected = ConcurrentHashMap.newKeySet();

  ContainerInstances() {}

  /** Returns the instance with that ARN, or null. */
  public ContainerInstance get(String arn) {
    return lookup.get(requireNonNull(arn));
  }

  /** Returns every instance, INACTIVE ones included, ordered by ARN; a live read-only view. */
  public Collection<ContainerInstance> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  /** Returns how many instances are registered (ACTIVE or DRAINING). */
  public int registeredCount() {
    int count = 0;
    for (ContainerInstance instance : byId.values()) {
      if (instance.registered()) {
        count++;
      }
    }
    return count;
  }

  /** Returns true if the instance's agent channel is open; false until the channel says so. */
  public boolean agentConnected(String arn) {
    return connected.contains(requireNonNull(arn));
  }

  /**
   * Records whether the instance's agent is connected; not stored, since it lasts only as long as
   * the channel. Unknown instances are ignored.
   */
  public void setAgentConnected(String arn, boolean isConnected) {
    requireNonNull(arn);
    if (!isConnected) {
      connected.remove(arn);
    } else if (lookup.containsKey(arn)) {
      connected.add(arn);
    }
  }

  void replay(ContainerInstance instance) {
    byId.put(id(instance.arn()), instance);
    lookup.put(instance.arn(), instance);
  }

  void remove(String arn) {
    byId.remove(id(arn));
    lookup.remove(arn);
    connected.remove(arn);
  }

  /**
   * Returns the last part of an ARN, which orders the ARNs of one cluster as the whole ARN does.
   */
  private static String id(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
