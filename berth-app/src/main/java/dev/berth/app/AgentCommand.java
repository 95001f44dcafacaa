package dev.berth.app;

import dev.berth.agent.Agent;
import dev.berth.agent.channel.ServerTrust;
import dev.berth.api.agent.AgentChannel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** {@code berth agent}: joins this host to a cluster of a Berth server and runs its tasks. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Registers this host as a container instance of a cluster and runs its tasks on the local"
            + " Docker engine. Credentials come from the usual AWS sources (environment, shared"
            + " credentials file, --profile).")
final class AgentCommand implements Callable<Integer> {
  /** A fleet's agent pulls first, as ECS's does, so that a re-pushed tag is not run stale. */
  static final String PULL_BEHAVIOR = "default";

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      description = "The cluster to join.")
  String cluster;

  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "URL",
      description = "The Berth server, e.g. https://10.0.0.5:4747.")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The cluster's region (default: AWS_REGION, the profile's, else us-east-1).")
  String region;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "The AWS profile whose credentials to use.")
  String profile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the agent keeps its instance identity (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.berth-agent")
  Path dataDir;

  @Option(
      names = "--publish-address",
      paramLabel = "ADDRESS",
      description =
          "The host address container ports are published on (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.0.0.0")
  String publishAddress;

  @Mixin LogLevelOption log = new LogLevelOption();

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

  @Mixin AgentOptions options = new AgentOptions();

  @Override
  public Integer call() throws Exception {
    log.startIn(dataDir);
    AwsCredentialsProvider credentials =
        profile == null
            ? DefaultCredentialsProvider.create()
            : ProfileCredentialsProvider.create(profile);
    String chosenRegion = region != null ? region : defaultRegion();
    if (tlsCa != null && tlsFingerprint != null) {
      throw new IllegalArgumentException("give --tls-ca or --tls-fingerprint, not both");
    }
    ServerTrust trust =
        tlsCa != null
            ? ServerTrust.caFile(tlsCa)
            : tlsFingerprint != null ? ServerTrust.fingerprint(tlsFingerprint) : null;
    Agent agent =
        Agent.start(
            options
                .toConfig(
                    cluster,
                    endpoint,
                    chosenRegion,
                    credentials,
                    dataDir,
                    publishAddress,
                    Duration.ofSeconds(AgentChannel.HEARTBEAT_SECONDS),
                    PULL_BEHAVIOR)
                .withServerTrust(trust),
            Clock.systemUTC());
    System.out.println(
        "Berth agent registered as " + agent.containerInstanceArn() + " in cluster " + cluster);
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "berth-agent-shutdown"));
    stopped.await();
    return 0;
  }

  private String defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (RuntimeException e) {
      return "us-east-1";
    }
  }
}
