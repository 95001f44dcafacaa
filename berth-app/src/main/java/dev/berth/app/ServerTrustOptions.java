package dev.berth.app;

import dev.berth.agent.channel.ServerTrust;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command that calls an https:// Berth server verifies it: a CA file or a pinned fingerprint,
 * shared by {@code berth agent}, {@code berth keys} and {@code berth activation}.
 */
final class ServerTrustOptions {
  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "PEM certificates to verify an https:// server with (a CA's, or the server's own"
              + " DIR/tls/server.crt); the host name is checked too.")
  Path tlsCa;

  @Option(
      names = "--tls-fingerprint",
      paramLabel = "SHA256",
      description =
          "The SHA-256 fingerprint of the https:// server's certificate, as berth server prints"
              + " it: that certificate alone is trusted. Without this or --tls-ca, the JDK's"
              + " trusted CAs verify the server.")
  String tlsFingerprint;

  /** Returns the trust asked for, or null for the JDK's trusted CAs. */
  ServerTrust trust() {
    if (tlsCa != null && tlsFingerprint != null) {
      throw new IllegalArgumentException("give --tls-ca or --tls-fingerprint, not both");
    }
    if (tlsCa != null) {
      return ServerTrust.caFile(tlsCa);
    }
    return tlsFingerprint != null ? ServerTrust.fingerprint(tlsFingerprint) : null;
  }
}
