package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Cloud Map namespace: a private DNS zone whose services Berth's DNS server answers for, or an
 * HTTP namespace whose services are found through DiscoverInstances only.
 */
record Namespace(
    String id,
    String arn,
    String region,
    String ownerAccount,
    String name,
    String type,
    String description,
    String creatorRequestId,
    String vpc,
    String hostedZoneId,
    long soaTtl,
    long createdAt,
    List<ResourceTag> tags) {
  /** The type of a private DNS namespace. */
  static final String DNS_PRIVATE = "DNS_PRIVATE";

  /** The type of an HTTP namespace. */
  static final String HTTP = "HTTP";

  /** Creates a namespace; the tags are copied. */
  Namespace {
    requireNonNull(id);
    requireNonNull(arn);
    requireNonNull(region);
    requireNonNull(ownerAccount);
    requireNonNull(name);
    requireNonNull(type);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Returns true if the namespace has DNS records, i.e. it is a private DNS namespace. */
  boolean isDns() {
    return DNS_PRIVATE.equals(type);
  }
}
