package dev.berth.app;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options local mode and the server share. */
final class ServerOptions {
  /**
   * How far above the API port the DNS server listens when --dns-port is not given, so that a
   * second Berth moved with --port alone does not collide on the first one's DNS port.
   */
  static final int DNS_PORT_OFFSET = 6;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the store and the credentials file live (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.berth")
  Path dataDir;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The API port (default: ${DEFAULT-VALUE}).",
      defaultValue = "4747")
  int port;

  @Option(
      names = "--account-id",
      paramLabel = "ID",
      description = "The 12-digit account id in ARNs (default: ${DEFAULT-VALUE}).",
      defaultValue = "000000000000")
  String accountId;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region of the clusters created at start (default: ${DEFAULT-VALUE}).",
      defaultValue = "us-east-1")
  String region;

  @Option(
      names = "--dns-port",
      paramLabel = "N",
      description =
          "The port of the DNS server for Cloud Map's private namespaces, UDP and TCP; 0 turns it"
              + " off (default: the API port + "
              + DNS_PORT_OFFSET
              + ", so 4753 beside 4747).")
  Integer dnsPort;

  @Mixin LogLevelOption log = new LogLevelOption();

  @Option(
      names = "--dns-bind",
      paramLabel = "ADDRESS",
      description = "The address the DNS server listens on (default: the API's address).")
  String dnsBind;

  /** Returns where the DNS server listens, or null when it is off. */
  java.net.InetSocketAddress dnsAddress(String apiAddress) {
    int chosen = dnsPort != null ? dnsPort : derivedDnsPort();
    if (dnsPort != null && dnsPort == 0) {
      return null;
    }
    return new java.net.InetSocketAddress(dnsBind == null ? apiAddress : dnsBind, chosen);
  }

  /** Returns the API port + 6, or 0 (any free port) when the API takes any free port. */
  private int derivedDnsPort() {
    if (port == 0) {
      return 0;
    }
    if (port + DNS_PORT_OFFSET > 65535) {
      throw new IllegalArgumentException(
          "--port "
              + port
              + " leaves no room for the DNS port (--port + "
              + DNS_PORT_OFFSET
              + "); give --dns-port N, or --dns-port 0 to run without DNS");
    }
    return port + DNS_PORT_OFFSET;
  }
}
