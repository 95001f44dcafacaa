package dev.berth.app;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth server}: the control plane alone, for agents on other hosts. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Runs the Berth control plane (API and store) for agents on other hosts.")
final class ServerCommand implements Callable<Integer> {
  @Mixin ServerOptions options = new ServerOptions();

  @Mixin ApiPortOptions apiPort = new ApiPortOptions();

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "The address the API listens on (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String bind;

  @Override
  public Integer call() throws Exception {
    options.log.startIn(options.dataDir);
    ServerConfig config =
        new ServerConfig(
                options.dataDir,
                bind,
                options.port,
                options.accountId,
                options.region,
                List.of(),
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                java.time.Clock.systemUTC())
            .withDnsAddress(options.dnsAddress(bind));
    return Serving.run(BerthServer.start(apiPort.applyTo(config, bind)));
  }
}
