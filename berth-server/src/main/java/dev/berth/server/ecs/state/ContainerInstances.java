package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Set;

/**
 * The container instances of one cluster, ordered by ARN, and which of them have an agent
 * connected. Records are replayed by the cluster's writer; reads are safe from any thread.
 */
public final class ContainerInstances {
  private final OrderedByArn<ContainerInstance> byArn = new OrderedByArn<>();
  private final Set<String> connected;

  /** Creates an empty set of instances; which agents are connected is shared with other copies. */
  ContainerInstances(Set<String> connected) {
    this.connected = requireNonNull(connected);
  }

  /** Returns the instance with that ARN, or null. */
  public ContainerInstance get(String arn) {
    return byArn.get(arn);
  }

  /** Returns every instance, INACTIVE ones included, ordered by ARN; a live read-only view. */
  public Collection<ContainerInstance> all() {
    return byArn.values();
  }

  /**
   * Returns the instances whose ARN comes after the one given (every one for null), in ARN order: a
   * live read-only view that starts there, for paging through a large cluster.
   */
  public Iterable<ContainerInstance> after(String arn) {
    return byArn.after(arn);
  }

  /** Returns how many instances are registered (ACTIVE or DRAINING). */
  public int registeredCount() {
    int count = 0;
    for (ContainerInstance instance : byArn.values()) {
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
    } else if (byArn.contains(arn)) {
      connected.add(arn);
    }
  }

  void replay(ContainerInstance instance) {
    ContainerInstance old = byArn.get(instance.arn());
    // A version stored on its own since may be ahead of the record (see InstanceVersion).
    byArn.put(
        instance.arn(),
        old != null && old.version() > instance.version()
            ? instance.withVersion(old.version())
            : instance);
  }

  void replay(InstanceVersion version) {
    ContainerInstance instance = byArn.get(version.arn());
    if (instance != null && version.version() > instance.version()) {
      byArn.put(version.arn(), instance.withVersion(version.version()));
    }
  }

  void remove(String arn) {
    byArn.remove(arn);
  }
}
