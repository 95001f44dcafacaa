package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

/**
 * Who made a request and where: its id, the region of its signature's scope, the account that owns
 * the resources and the access key that signed it.
 */
public record RequestContext(
    String requestId, String region, String accountId, String accessKeyId) {
  /** Creates a context; every part is required. */
  public RequestContext {
    requireNonNull(requestId);
    requireNonNull(region);
    requireNonNull(accountId);
    requireNonNull(accessKeyId);
  }
}
