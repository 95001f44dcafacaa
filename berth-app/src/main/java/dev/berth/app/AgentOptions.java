package dev.berth.app;

import dev.berth.agent.AgentConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The agent's settings, shared by {@code berth agent} and local mode. */
final class AgentOptions {
  @Mixin DockerHostOption docker = new DockerHostOption();

  @Option(
      names = "--availability-zone",
      paramLabel = "ZONE",
      description =
          "The ecs.availability-zone attribute of this instance (default: the region followed by 'a').")
  String availabilityZone;

  @Option(
      names = "--instance-type",
      paramLabel = "TYPE",
      description = "The ecs.instance-type attribute (default: ${DEFAULT-VALUE}).",
      defaultValue = "berth.host")
  String instanceType;

  @Option(
      names = "--reserved-memory",
      paramLabel = "MIB",
      description =
          "Memory kept back from tasks, as ECS_RESERVED_MEMORY (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int reservedMemory;

  @Option(
      names = "--reserved-ports",
      paramLabel = "PORTS",
      split = ",",
      description = "TCP host ports no task may use (default: ${DEFAULT-VALUE}).",
      defaultValue = "22,2375,2376,51678,51679")
  List<Integer> reservedPorts = new ArrayList<>();

  @Option(
      names = "--reserved-udp-ports",
      paramLabel = "PORTS",
      split = ",",
      description = "UDP host ports no task may use (default: none).")
  List<Integer> reservedUdpPorts = new ArrayList<>();

  @Option(
      names = "--image-pull-behavior",
      paramLabel = "MODE",
      description =
          "default, always, once or prefer-cached, as ECS_IMAGE_PULL_BEHAVIOR (default:"
              + " prefer-cached for berth local, which runs images built on the laptop; default"
              + " for berth agent, as in ECS).")
  String pullBehavior;

  @Option(
      names = "--dynamic-ports",
      paramLabel = "FIRST-LAST",
      description = "Host ports handed out for hostPort 0 (default: ${DEFAULT-VALUE}).",
      defaultValue = "32768-60999")
  String dynamicPorts;

  @Option(
      names = "--task-cleanup-wait",
      paramLabel = "DURATION",
      description =
          "How long stopped tasks' containers are kept, e.g. 10m or 3h (default: ${DEFAULT-VALUE}).",
      defaultValue = "1h")
  String taskCleanupWait;

  @Option(
      names = "--metrics-publish-interval",
      paramLabel = "DURATION",
      description =
          "How often containers' CPU and memory samples are sent to the server, e.g. 20s"
              + " (default: ${DEFAULT-VALUE}, as the ECS agent).",
      defaultValue = "20s")
  String metricsPublishInterval;

  /** Returns the agent configuration these options describe. */
  AgentConfig toConfig(
      String cluster,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      Path dataDir,
      String publishAddress,
      Duration heartbeat,
      String defaultPullBehavior) {
    String[] range = dynamicPorts.split("-", 2);
    if (range.length != 2) {
      throw new IllegalArgumentException("--dynamic-ports must be FIRST-LAST, e.g. 32768-60999");
    }
    return new AgentConfig(
        cluster,
        endpoint,
        region,
        credentials,
        dataDir,
        docker.dockerHost(),
        availabilityZone == null ? region + "a" : availabilityZone,
        instanceType,
        reservedMemory,
        reservedPorts,
        reservedUdpPorts,
        pullBehavior == null ? defaultPullBehavior : pullBehavior,
        publishAddress,
        Integer.parseInt(range[0].trim()),
        Integer.parseInt(range[1].trim()),
        heartbeat,
        Durations.parse(taskCleanupWait),
        Durations.parse(metricsPublishInterval));
  }
}
