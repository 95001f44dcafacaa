package dev.berth.server.dns;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * An immutable authoritative zone: its origin, its SOA and the record sets of each name under it.
 * Names that only have names below them (empty non-terminals) exist with no record sets.
 */
public final class DnsZone {
  private final Name origin;
  private final SOARecord soa;
  private final Map<Name, Map<Integer, RecordSet>> nodes;

  private DnsZone(Name origin, SOARecord soa, Map<Name, Map<Integer, RecordSet>> nodes) {
    this.origin = origin;
    this.soa = soa;
    this.nodes = nodes;
  }

  /** Returns a builder of a zone with the origin and SOA given. */
  public static Builder builder(Name origin, SOARecord soa) {
    return new Builder(origin, soa);
  }

  /** Returns the zone's origin, an absolute name. */
  public Name origin() {
    return origin;
  }

  /** Returns the zone's SOA record, put in the authority section of negative answers. */
  public SOARecord soa() {
    return soa;
  }

  /** Returns the record sets of a name by type, empty for an empty non-terminal, or null. */
  public Map<Integer, RecordSet> node(Name name) {
    return nodes.get(name);
  }

  /** Builds a zone; not thread-safe. */
  public static final class Builder {
    private final Name origin;
    private final SOARecord soa;
    private final Map<Name, Map<Integer, RecordSet>> nodes = new HashMap<>();

    private Builder(Name origin, SOARecord soa) {
      if (!origin.isAbsolute() || !soa.getName().equals(origin)) {
        throw new IllegalArgumentException("the SOA must be at the absolute origin " + origin);
      }
      this.origin = origin;
      this.soa = soa;
      nodes.put(origin, new HashMap<>());
    }

    /** Adds a record set at a name at or below the origin, replacing one of the same type. */
    public Builder add(Name name, RecordSet set) {
      requireNonNull(set);
      if (!name.subdomain(origin)) {
        throw new IllegalArgumentException(name + " is not in the zone " + origin);
      }
      nodes.computeIfAbsent(name, key -> new HashMap<>()).put(set.type(), set);
      // Every name between it and the origin exists too, if only as an empty non-terminal.
      for (int strip = 1; strip < name.labels() - origin.labels(); strip++) {
        nodes.computeIfAbsent(parent(name, strip), key -> new HashMap<>());
      }
      return this;
    }

    /** Returns the zone. */
    public DnsZone build() {
      Map<Name, Map<Integer, RecordSet>> frozen = new HashMap<>();
      nodes.forEach((name, sets) -> frozen.put(name, Map.copyOf(sets)));
      return new DnsZone(origin, soa, Map.copyOf(frozen));
    }

    private static Name parent(Name name, int strip) {
      return new Name(name, strip);
    }
  }
}
