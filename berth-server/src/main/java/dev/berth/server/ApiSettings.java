package dev.berth.server;

import static java.util.Objects.requireNonNull;

import dev.berth.server.api.ConnectionLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * How the API port faces its network: its connection limits, TLS, and the region names a
 * signature's scope may name beside AWS's own.
 *
 * @param limits the connection limits
 * @param tls TLS on the API port, or null for plain HTTP
 * @param extraRegions region names accepted in signatures beside AWS's
 */
public record ApiSettings(ConnectionLimits limits, Tls tls, List<String> extraRegions) {
  /**
   * The TLS of the API port: the PEM certificate chain and private key given, or, when both are
   * null, a self-signed pair the server generates once into its data directory.
   */
  public record Tls(Path certificate, Path privateKey) {
    /** Creates the setting; the two files come together or not at all. */
    public Tls {
      if ((certificate == null) != (privateKey == null)) {
        throw new IllegalArgumentException("a TLS certificate and its key come together");
      }
    }

    /** Returns the setting of a self-signed pair generated in the data directory. */
    public static Tls selfSigned() {
      return new Tls(null, null);
    }

    /** Returns true when the server generates its own pair. */
    public boolean isSelfSigned() {
      return certificate == null;
    }
  }

  /** Creates the settings, checking each part. */
  public ApiSettings {
    requireNonNull(limits);
    extraRegions = List.copyOf(extraRegions);
  }

  /** Returns plain HTTP with the default limits and AWS's regions only. */
  public static ApiSettings defaults() {
    return new ApiSettings(ConnectionLimits.defaults(), null, List.of());
  }
}
