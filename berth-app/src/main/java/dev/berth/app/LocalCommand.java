package dev.berth.app;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth local}: the whole of Berth in one process on this machine, on 127.0.0.1. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Runs Berth on this machine: the API on 127.0.0.1, an embedded store, and a cluster named default.")
final class LocalCommand implements Callable<Integer> {
  @Mixin ServerOptions options = new ServerOptions();

  @Override
  public Integer call() throws Exception {
    ServerConfig config =
        new ServerConfig(
            options.dataDir,
            "127.0.0.1",
            options.port,
            options.accountId,
            options.region,
            List.of("default"),
            ServerConfig.DEFAULT_MAX_BODY_BYTES,
            java.time.Clock.systemUTC());
    return Serving.run(BerthServer.start(config));
  }
}
