package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Cloud Map service: a name in a namespace whose registered instances are discovered by DNS (A,
 * AAAA and SRV records named SERVICE.NAMESPACE) and by DiscoverInstances.
 *
 * <p>{@code revision} counts the changes to its instances, as DiscoverInstances' InstancesRevision.
 */
record CloudMapService(
    String id,
    String arn,
    String region,
    String ownerAccount,
    String namespaceId,
    String name,
    String type,
    String description,
    String creatorRequestId,
    String routingPolicy,
    List<DnsRecordSpec> dnsRecords,
    Integer customHealthFailureThreshold,
    long createdAt,
    long revision,
    List<ResourceTag> tags) {
  /** One DNS record type the service's instances get, and its TTL in seconds. */
  record DnsRecordSpec(String type, long ttl) {
    /** Creates a record spec; the type is required. */
    DnsRecordSpec {
      requireNonNull(type);
    }
  }

  /** Creates a service; the lists are copied, and an absent DnsConfig is an empty record list. */
  CloudMapService {
    requireNonNull(id);
    requireNonNull(arn);
    requireNonNull(region);
    requireNonNull(ownerAccount);
    requireNonNull(namespaceId);
    requireNonNull(name);
    requireNonNull(type);
    dnsRecords = dnsRecords == null ? List.of() : List.copyOf(dnsRecords);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Returns true if the service was created with a HealthCheckCustomConfig. */
  boolean hasCustomHealth() {
    return customHealthFailureThreshold != null;
  }

  /** Returns the DNS record of a type the service defines, or null. */
  DnsRecordSpec dnsRecord(String type) {
    for (DnsRecordSpec spec : dnsRecords) {
      if (spec.type().equals(type)) {
        return spec;
      }
    }
    return null;
  }

  /** Returns a copy with the instance revision of another version of the service. */
  CloudMapService withRevisionOf(CloudMapService other) {
    return other.revision == revision ? this : withRevision(other.revision);
  }

  /** Returns a copy whose instance revision is one higher. */
  CloudMapService nextRevision() {
    return withRevision(revision + 1);
  }

  private CloudMapService withRevision(long newRevision) {
    return new CloudMapService(
        id,
        arn,
        region,
        ownerAccount,
        namespaceId,
        name,
        type,
        description,
        creatorRequestId,
        routingPolicy,
        dnsRecords,
        customHealthFailureThreshold,
        createdAt,
        newRevision,
        tags);
  }
}
