package dev.berth.server.dns;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;

/**
 * The zones the DNS server is authoritative for, each published by an owner (a Cloud Map namespace
 * ARN). Readers see an immutable snapshot without locking; publishers replace it whole. When two
 * owners publish the same origin (namespaces of one name in two regions), the first owner in code
 * point order answers.
 */
public final class ZoneDirectory {
  private final TreeMap<String, DnsZone> byOwner = new TreeMap<>();
  private volatile Map<Name, DnsZone> byOrigin = Map.of();

  /** Publishes or replaces the zone of an owner. */
  public synchronized void publish(String owner, DnsZone zone) {
    byOwner.put(requireNonNull(owner), requireNonNull(zone));
    refresh();
  }

  /** Withdraws the zone of an owner, if it has one. */
  public synchronized void withdraw(String owner) {
    if (byOwner.remove(requireNonNull(owner)) != null) {
      refresh();
    }
  }

  /** Returns the zone whose origin is the closest enclosing one of a name, or null. */
  public DnsZone find(Name name) {
    Map<Name, DnsZone> zones = byOrigin;
    if (zones.isEmpty()) {
      return null;
    }
    int labels = name.labels();
    for (int strip = 0; strip < labels; strip++) {
      DnsZone zone = zones.get(strip == 0 ? name : new Name(name, strip));
      if (zone != null) {
        return zone;
      }
    }
    return null;
  }

  private void refresh() {
    Map<Name, DnsZone> zones = new HashMap<>();
    byOwner.values().forEach(zone -> zones.putIfAbsent(zone.origin(), zone));
    byOrigin = Map.copyOf(zones);
  }
}
