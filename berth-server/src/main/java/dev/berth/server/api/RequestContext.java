package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import dev.berth.server.auth.Caller;

/**
 * Who made a request and where: its id, the region of its signature's scope, the account that owns
 * the resources, the access key that signed it and what that key may do.
 */
public record RequestContext(
    String requestId, String region, String accountId, String accessKeyId, Caller caller) {
  /** Creates a context; every part is required. */
  public RequestContext {
    requireNonNull(requestId);
    requireNonNull(region);
    requireNonNull(accountId);
    requireNonNull(accessKeyId);
    requireNonNull(caller);
  }

  /** Creates the context of a call the server makes itself, with an admin's rights. */
  public RequestContext(String requestId, String region, String accountId, String accessKeyId) {
    this(requestId, region, accountId, accessKeyId, Caller.admin(accessKeyId));
  }
}
