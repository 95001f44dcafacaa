package dev.berth.app;

import dev.berth.agent.Agent;
import dev.berth.agent.channel.ServerTrust;
import dev.berth.agent.identity.AgentCredentials;
import dev.berth.agent.identity.IdentityClient;
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
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** {@code berth agent}: joins this host to a cluster of a Berth server and runs its tasks. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Registers this host as a container instance of a cluster and runs its tasks on the local"
            + " Docker engine. The agent joins with an activation (berth activation create) and"
            + " keeps its instance's own key in DIR/credentials.json; without one, credentials"
            + " come from the usual AWS sources (environment, shared credentials file, --profile).")
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
      names = "--activation-id",
      paramLabel = "ID",
      description =
          "The activation to join with, as ECS Anywhere's (default: BERTH_ACTIVATION_ID); used"
              + " once, when DIR holds no credentials of the agent's own yet.",
      defaultValue = "${env:BERTH_ACTIVATION_ID}")
  String activationId;

  @Option(
      names = "--activation-code",
      paramLabel = "CODE",
      description = "The activation's code (default: BERTH_ACTIVATION_CODE).",
      defaultValue = "${env:BERTH_ACTIVATION_CODE}")
  String activationCode;

  @Option(
      names = "--rotate-credentials",
      description =
          "Replaces the instance's key with a new one before starting, and deletes the old.")
  boolean rotateCredentials;

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

  @Mixin ServerTrustOptions tls = new ServerTrustOptions();

  @Mixin AgentOptions options = new AgentOptions();

  @Override
  public Integer call() throws Exception {
    log.startIn(dataDir);
    ServerTrust trust = tls.trust();
    AgentCredentials own = ownCredentials(trust);
    AwsCredentialsProvider credentials;
    String chosenRegion;
    if (own != null) {
      if (!own.cluster().equals(cluster)) {
        throw new IllegalArgumentException(
            "this agent's credentials in "
                + dataDir.resolve(AgentCredentials.FILE)
                + " are for cluster "
                + own.cluster()
                + ", not "
                + cluster);
      }
      credentials = StaticCredentialsProvider.create(own.toAws());
      chosenRegion = own.region();
    } else {
      credentials =
          profile == null
              ? DefaultCredentialsProvider.create()
              : ProfileCredentialsProvider.create(profile);
      chosenRegion = region != null ? region : defaultRegion();
    }
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

  /**
   * Returns the agent's own credentials: those kept in the data directory, else those an activation
   * given is exchanged for; rotated first if asked; null if it has none (the AWS sources then).
   */
  private AgentCredentials ownCredentials(ServerTrust trust) {
    AgentCredentials own = AgentCredentials.load(dataDir);
    String identityRegion = region != null ? region : own != null ? own.region() : defaultRegion();
    IdentityClient client = new IdentityClient(endpoint, identityRegion, trust);
    if (own == null && activationId != null) {
      if (activationCode == null) {
        throw new IllegalArgumentException("--activation-id needs --activation-code");
      }
      own = AgentCredentials.activate(client, dataDir, activationId, activationCode);
    }
    if (own != null && rotateCredentials) {
      own = own.rotate(client, dataDir);
    } else if (rotateCredentials) {
      throw new IllegalArgumentException("--rotate-credentials needs the agent's own credentials");
    }
    return own;
  }

  private String defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (RuntimeException e) {
      return "us-east-1";
    }
  }
}
