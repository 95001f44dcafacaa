package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

/** The caller a verified SigV4 signature proves: its access key and the scope it signed for. */
public record Principal(String accessKeyId, String region, String service) {
  /** Creates a principal. */
  public Principal {
    requireNonNull(accessKeyId, "accessKeyId");
    requireNonNull(region, "region");
    requireNonNull(service, "service");
  }
}
