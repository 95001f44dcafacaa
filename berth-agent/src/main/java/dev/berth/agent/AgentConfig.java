package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.channel.ServerTrust;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How an agent runs: the cluster it joins and the server it talks to, where it keeps its own state,
 * what it tells the server about its host, and how it runs containers.
 *
 * @param cluster the cluster to join
 * @param endpoint the server's URL
 * @param region the region the cluster lives in
 * @param credentials the AWS credentials the agent signs its requests with
 * @param dataDir where the agent keeps the identity of its container instance across restarts
 * @param dockerHost the Docker engine, e.g. unix:///var/run/docker.sock
 * @param availabilityZone the value of the ecs.availability-zone attribute
 * @param instanceType the value of the ecs.instance-type attribute
 * @param reservedMemoryMiB memory kept back from tasks, as ECS_RESERVED_MEMORY
 * @param reservedPorts TCP host ports no task may take, as ECS_RESERVED_PORTS
 * @param reservedUdpPorts UDP host ports no task may take, as ECS_RESERVED_PORTS_UDP
 * @param pullBehavior image pull behaviour, as ECS_IMAGE_PULL_BEHAVIOR (default, always, once,
 *     prefer-cached)
 * @param publishAddress the host address container ports are published on
 * @param dynamicPortFirst the first host port handed out for hostPort 0
 * @param dynamicPortLast the last host port handed out for hostPort 0
 * @param heartbeat how often the agent sends a heartbeat on its channel
 * @param taskCleanupWait how long the containers of a stopped task are kept before removal, as
 *     ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION
 * @param metricsPublishInterval how often the containers' CPU and memory samples are sent to the
 *     server (the ECS agent's 20 s by default)
 * @param serverTrust how an https endpoint is verified: a CA file or a pinned fingerprint, or null
 *     for the JDK's default trust store
 */
public record AgentConfig(
    String cluster,
    URI endpoint,
    String region,
    AwsCredentialsProvider credentials,
    Path dataDir,
    String dockerHost,
    String availabilityZone,
    String instanceType,
    int reservedMemoryMiB,
    List<Integer> reservedPorts,
    List<Integer> reservedUdpPorts,
    String pullBehavior,
    String publishAddress,
    int dynamicPortFirst,
    int dynamicPortLast,
    Duration heartbeat,
    Duration taskCleanupWait,
    Duration metricsPublishInterval,
    ServerTrust serverTrust) {

  /** The TCP ports the ECS agent reserves by default. */
  public static final List<Integer> DEFAULT_RESERVED_PORTS = List.of(22, 2375, 2376, 51678, 51679);

  /**
   * Creates a configuration that publishes metrics at the ECS agent's interval, 20 s, and verifies
   * an https endpoint with the JDK's default trust.
   */
  public AgentConfig(
      String cluster,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      Path dataDir,
      String dockerHost,
      String availabilityZone,
      String instanceType,
      int reservedMemoryMiB,
      List<Integer> reservedPorts,
      List<Integer> reservedUdpPorts,
      String pullBehavior,
      String publishAddress,
      int dynamicPortFirst,
      int dynamicPortLast,
      Duration heartbeat,
      Duration taskCleanupWait) {
    this(
        cluster,
        endpoint,
        region,
        credentials,
        dataDir,
        dockerHost,
        availabilityZone,
        instanceType,
        reservedMemoryMiB,
        reservedPorts,
        reservedUdpPorts,
        pullBehavior,
        publishAddress,
        dynamicPortFirst,
        dynamicPortLast,
        heartbeat,
        taskCleanupWait,
        ContainerTelemetry.DEFAULT_PUBLISH_INTERVAL,
        null);
  }

  /** Returns a copy that verifies the https endpoint as {@code trust} says. */
  public AgentConfig withServerTrust(ServerTrust trust) {
    return new AgentConfig(
        cluster,
        endpoint,
        region,
        credentials,
        dataDir,
        dockerHost,
        availabilityZone,
        instanceType,
        reservedMemoryMiB,
        reservedPorts,
        reservedUdpPorts,
        pullBehavior,
        publishAddress,
        dynamicPortFirst,
        dynamicPortLast,
        heartbeat,
        taskCleanupWait,
        metricsPublishInterval,
        trust);
  }

  /** Creates a configuration, checking each part. */
  public AgentConfig {
    requireNonNull(cluster);
    requireNonNull(endpoint);
    requireNonNull(region);
    requireNonNull(credentials);
    requireNonNull(dataDir);
    requireNonNull(dockerHost);
    requireNonNull(availabilityZone);
    requireNonNull(instanceType);
    if (reservedMemoryMiB < 0) {
      throw new IllegalArgumentException("reserved memory must not be negative");
    }
    reservedPorts = List.copyOf(reservedPorts);
    reservedUdpPorts = List.copyOf(reservedUdpPorts);
    requireNonNull(pullBehavior);
    requireNonNull(publishAddress);
    if (dynamicPortFirst < 1 || dynamicPortLast > 65535 || dynamicPortFirst > dynamicPortLast) {
      throw new IllegalArgumentException(
          "dynamic port range must lie within 1..65535: "
              + dynamicPortFirst
              + "-"
              + dynamicPortLast);
    }
    requireNonNull(heartbeat);
    requireNonNull(taskCleanupWait);
    if (serverTrust != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw new IllegalArgumentException(
          "a CA file or fingerprint verifies an https:// endpoint, not " + endpoint);
    }
    requireNonNull(metricsPublishInterval);
    if (metricsPublishInterval.toMillis() < 1000) {
      throw new IllegalArgumentException("the metrics publish interval must be at least 1s");
    }
  }

  /**
   * Creates a configuration that publishes metrics at the interval given and verifies an https
   * endpoint with the JDK's default trust.
   */
  public AgentConfig(
      String cluster,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      Path dataDir,
      String dockerHost,
      String availabilityZone,
      String instanceType,
      int reservedMemoryMiB,
      List<Integer> reservedPorts,
      List<Integer> reservedUdpPorts,
      String pullBehavior,
      String publishAddress,
      int dynamicPortFirst,
      int dynamicPortLast,
      Duration heartbeat,
      Duration taskCleanupWait,
      Duration metricsPublishInterval) {
    this(
        cluster,
        endpoint,
        region,
        credentials,
        dataDir,
        dockerHost,
        availabilityZone,
        instanceType,
        reservedMemoryMiB,
        reservedPorts,
        reservedUdpPorts,
        pullBehavior,
        publishAddress,
        dynamicPortFirst,
        dynamicPortLast,
        heartbeat,
        taskCleanupWait,
        metricsPublishInterval,
        null);
  }
}
