package dev.berth.app;

import dev.berth.server.ApiSettings;
import dev.berth.server.ServerConfig;
import dev.berth.server.api.ConnectionLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code berth server}'s settings of its API port: TLS, connection limits, signing regions. */
final class ApiPortOptions {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "The API port's TLS certificate chain, PEM (with --tls-key).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert, PEM (PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-self-signed",
      description =
          "Serve HTTPS with a self-signed pair kept in DIR/tls even on a loopback --bind (a"
              + " non-loopback --bind without --tls-cert does so by itself).")
  boolean tlsSelfSigned;

  @Option(
      names = "--header-timeout",
      paramLabel = "DURATION",
      description = "How long a request's headers may take (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s")
  String headerTimeout;

  @Option(
      names = "--body-timeout",
      paramLabel = "DURATION",
      description =
          "How long a request's body may take once its headers are in (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "30s")
  String bodyTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description =
          "How long a kept-alive connection may wait for its next request (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "75s")
  String idleTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Open connections allowed on the API port, agents' channels included; at the cap the"
              + " oldest one without an accepted request is closed (default: three quarters of"
              + " the open-file limit, ulimit -n).")
  Integer maxConnections;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      description = "The largest request body accepted (default: ${DEFAULT-VALUE}, 1 MiB).",
      defaultValue = "1048576")
  int maxBody;

  @Option(
      names = "--extra-regions",
      paramLabel = "REGIONS",
      split = ",",
      description = "Region names signatures may name beside AWS's own and --region.")
  List<String> extraRegions = new ArrayList<>();

  /** Returns the configuration with these settings, for a server listening on {@code bind}. */
  ServerConfig applyTo(ServerConfig config, String bind) {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key come together");
    }
    ApiSettings.Tls tls;
    if (tlsCert != null) {
      tls = new ApiSettings.Tls(tlsCert, tlsKey);
    } else if (tlsSelfSigned || !isLoopback(bind)) {
      // Plain HTTP only where nothing but this host can listen in.
      tls = ApiSettings.Tls.selfSigned();
    } else {
      tls = null;
    }
    ConnectionLimits limits =
        new ConnectionLimits(
            Durations.parse(headerTimeout),
            Durations.parse(bodyTimeout),
            Durations.parse(idleTimeout),
            maxConnections != null ? maxConnections : ConnectionLimits.defaultMaxConnections());
    if (maxBody < 1) {
      throw new IllegalArgumentException("--max-body must be at least 1");
    }
    return new ServerConfig(
            config.dataDir(),
            config.bindAddress(),
            config.port(),
            config.accountId(),
            config.region(),
            config.defaultClusters(),
            maxBody,
            config.clock(),
            config.agentHeartbeatTimeout(),
            config.dnsAddress(),
            config.loadBalancing(),
            config.api())
        .withApi(new ApiSettings(limits, tls, extraRegions));
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
