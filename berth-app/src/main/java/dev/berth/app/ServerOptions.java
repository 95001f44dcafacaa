package dev.berth.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options local mode and the server share. */
final class ServerOptions {
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
              + " off (default: ${DEFAULT-VALUE}).",
      defaultValue = "4753")
  int dnsPort;

  @Option(
      names = "--dns-bind",
      paramLabel = "ADDRESS",
      description = "The address the DNS server listens on (default: the API's address).")
  String dnsBind;

  /** Returns where the DNS server listens, or null when it is off. */
  java.net.InetSocketAddress dnsAddress(String apiAddress) {
    return dnsPort == 0
        ? null
        : new java.net.InetSocketAddress(dnsBind == null ? apiAddress : dnsBind, dnsPort);
  }
}
