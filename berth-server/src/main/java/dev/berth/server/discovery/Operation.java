package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Cloud Map operation: creating or deleting a namespace, registering or deregistering an
 * instance. Cloud Map runs them in the background; Berth finishes them before it answers, so they
 * are stored as SUCCESS and GetOperation reports them so.
 */
record Operation(
    String id,
    String region,
    String ownerAccount,
    String type,
    String status,
    Map<String, String> targets,
    String creatorRequestId,
    long createdAt,
    long updatedAt) {
  /** Creates an operation; the targets are copied. */
  Operation {
    requireNonNull(id);
    requireNonNull(region);
    requireNonNull(ownerAccount);
    requireNonNull(type);
    requireNonNull(status);
    targets = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(targets)));
  }

  /** Returns a finished operation of a type on the targets given. */
  static Operation succeeded(
      String id,
      String region,
      String account,
      String type,
      Map<String, String> targets,
      String creatorRequestId,
      long at) {
    return new Operation(id, region, account, type, "SUCCESS", targets, creatorRequestId, at, at);
  }

  /** Returns the key the operation is stored under. */
  String key() {
    return region + "/" + id;
  }
}
