package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * Who signed a request, as the operations judge it: the access key, its scope and, for an
 * instance's key or an activation, the cluster and container instance it is bound to.
 *
 * @param accessKeyId the access key that signed
 * @param scope what the key may do
 * @param cluster the cluster an instance's key or an activation is for, else null
 * @param containerInstanceArn the container instance an instance's key belongs to, else null
 */
public record Caller(
    String accessKeyId, KeyScope scope, String cluster, String containerInstanceArn) {
  /** Creates a caller; the key and scope are required. */
  public Caller {
    requireNonNull(accessKeyId);
    requireNonNull(scope);
  }

  /** Returns an admin caller: the server itself, or a request signed with an admin key. */
  public static Caller admin(String accessKeyId) {
    return new Caller(accessKeyId, KeyScope.ADMIN, null, null);
  }

  /** Returns true if the caller is one container instance's agent. */
  public boolean isInstance() {
    return scope == KeyScope.INSTANCE;
  }
}
