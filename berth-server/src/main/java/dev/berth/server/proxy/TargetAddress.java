package dev.berth.server.proxy;

import static java.util.Objects.requireNonNull;

/** Where a target listens: an IP address (or host name) and a port. */
public record TargetAddress(String host, int port) {
  /** Creates an address; the port must be 1..65535. */
  public TargetAddress {
    requireNonNull(host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
