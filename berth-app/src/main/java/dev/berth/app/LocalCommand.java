package dev.berth.app;

import dev.berth.agent.Agent;
import dev.berth.api.agent.AgentChannel;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code berth local}: the whole of Berth in one process on this machine: the API on 127.0.0.1, an
 * embedded store, and an agent that registers this host in the cluster {@code default}.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Runs Berth on this machine: the API on 127.0.0.1, an embedded store, and the local Docker"
            + " engine registered as the one container instance of the cluster named default.")
final class LocalCommand implements Callable<Integer> {
  /** Local mode runs images built on this host: it uses one already here before any registry. */
  static final String PULL_BEHAVIOR = "prefer-cached";

  @Mixin ServerOptions options = new ServerOptions();

  @Mixin AgentOptions agentOptions = new AgentOptions();

  @Option(
      names = "--publish-address",
      paramLabel = "ADDRESS",
      description =
          "The host address container ports are published on (default: ${DEFAULT-VALUE}, so a laptop is not exposed).",
      defaultValue = "127.0.0.1")
  String publishAddress;

  @Override
  public Integer call() throws Exception {
    options.log.startIn(options.dataDir);
    Clock clock = Clock.systemUTC();
    ServerConfig config =
        new ServerConfig(
                options.dataDir,
                "127.0.0.1",
                options.port,
                options.accountId,
                options.region,
                List.of("default"),
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                clock)
            .withDnsAddress(options.dnsAddress("127.0.0.1"));
    BerthServer server = BerthServer.start(config);
    Agent agent = null;
    try {
      agent =
          Agent.start(
              agentOptions.toConfig(
                  "default",
                  URI.create(server.endpoint()),
                  options.region,
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(
                          server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())),
                  options.dataDir.resolve("agent"),
                  publishAddress,
                  Duration.ofSeconds(AgentChannel.HEARTBEAT_SECONDS),
                  PULL_BEHAVIOR),
              clock);
      System.out.println(
          "Container instance: "
              + agent.containerInstanceArn()
              + " (Docker at "
              + agentOptions.docker.dockerHost()
              + ")");
    } catch (RuntimeException e) {
      System.err.println(
          "berth: no container instance: "
              + e.getMessage()
              + "\nberth: the API runs, but tasks cannot until a Docker engine is reachable at "
              + agentOptions.docker.dockerHost());
    }
    return agent == null ? Serving.run(server) : Serving.run(server, agent);
  }
}
