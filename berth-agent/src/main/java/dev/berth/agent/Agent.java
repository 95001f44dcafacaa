package dev.berth.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.agent.channel.ChannelClient;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.HostPortAllocator;
import dev.berth.agent.runtime.PullBehavior;
import dev.berth.agent.runtime.RuntimeInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceResponse;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * A Berth agent: registers this host as a container instance of a cluster through the ECS API,
 * keeps the agent channel open, and runs the tasks the server places here on Docker.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  /** The version the agent reports in versionInfo. */
  public static final String VERSION = "berth-0.1.0";

  /**
   * How often every task is reconciled with Docker in full, under the container events that drive
   * the tasks, in case one was missed; the cleanups that are due run then too.
   */
  static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(15);

  private final ContainerRuntime runtime;
  private final EcsClient ecs;
  private final StateReporter reporter;
  private final ChannelClient channel;
  private final TaskEngine engine;
  private final ContainerTelemetry telemetry;
  private final String containerInstanceArn;

  private Agent(AgentConfig config, ContainerRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.ecs =
        EcsClient.builder()
            .endpointOverride(config.endpoint())
            .region(Region.of(config.region()))
            .credentialsProvider(config.credentials())
            .httpClient(httpClient(config.serverTrust()))
            .build();
    try {
      this.containerInstanceArn = register(config, runtime.info());
      this.reporter = new StateReporter(ecs);
      HostPortAllocator ports =
          new HostPortAllocator(
              config.publishAddress(), config.dynamicPortFirst(), config.dynamicPortLast());
      EngineHolder holder = new EngineHolder();
      this.channel =
          new ChannelClient(
              config.endpoint(),
              config.region(),
              config.credentials(),
              config.cluster(),
              containerInstanceArn,
              config.heartbeat(),
              config.serverTrust() == null ? null : config.serverTrust().sslContext(),
              tasks -> holder.engine.reconcile(tasks));
      TaskReports reports = new TaskReports(config.cluster(), reporter, channel::sendHealth);
      this.engine =
          new TaskEngine(
              config.cluster(),
              containerInstanceArn,
              runtime,
              reports,
              ports,
              PullBehavior.parse(config.pullBehavior()),
              config.taskCleanupWait(),
              RECONCILE_INTERVAL,
              clock);
      holder.engine = engine;
      this.telemetry =
          new ContainerTelemetry(
              config.cluster(), containerInstanceArn, runtime, channel::sendMetrics);
      channel.start();
      telemetry.start(config.metricsPublishInterval());
    } catch (RuntimeException e) {
      ecs.close();
      throw e;
    }
  }

  /** Connects to Docker, registers with the server and starts running tasks. */
  public static Agent start(AgentConfig config, Clock clock) {
    requireNonNull(config);
    ContainerRuntime runtime = DockerRuntime.connect(config.dockerHost());
    try {
      return new Agent(config, runtime, clock);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  /** Returns the ARN of the container instance this agent registered as. */
  public String containerInstanceArn() {
    return containerInstanceArn;
  }

  /** Returns true while the agent channel to the server is open. */
  public boolean isConnected() {
    return channel.isConnected();
  }

  /**
   * Stops the agent; its containers keep running, and a new agent on this host adopts them, as the
   * ECS agent does across restarts.
   */
  @Override
  public void close() {
    telemetry.close();
    channel.close();
    engine.close();
    reporter.close();
    ecs.close();
    runtime.close();
  }

  /** Returns the SDK's HTTP client, verifying an https server as {@code trust} says. */
  private static software.amazon.awssdk.http.SdkHttpClient httpClient(
      dev.berth.agent.channel.ServerTrust trust) {
    if (trust == null) {
      return UrlConnectionHttpClient.create();
    }
    javax.net.ssl.TrustManager[] managers = {trust.trustManager()};
    return UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> managers).build();
  }

  private String register(AgentConfig config, RuntimeInfo info) {
    InstanceIdentity found = InstanceIdentity.load(config.dataDir(), config.cluster());
    long cpu = (long) info.cpus() * 1024;
    long memory = Math.max(0, info.memoryMiB() - config.reservedMemoryMiB());
    List<Resource> resources =
        List.of(
            Resource.builder().name("CPU").type("INTEGER").integerValue((int) cpu).build(),
            Resource.builder().name("MEMORY").type("INTEGER").integerValue((int) memory).build(),
            Resource.builder()
                .name("PORTS")
                .type("STRINGSET")
                .stringSetValue(config.reservedPorts().stream().map(String::valueOf).toList())
                .build(),
            Resource.builder()
                .name("PORTS_UDP")
                .type("STRINGSET")
                .stringSetValue(config.reservedUdpPorts().stream().map(String::valueOf).toList())
                .build());
    Duration backoff = Duration.ofMillis(500);
    InstanceIdentity previous = found;
    while (true) {
      InstanceIdentity earlier = previous;
      try {
        RegisterContainerInstanceResponse response =
            ecs.registerContainerInstance(
                r ->
                    r.cluster(config.cluster())
                        .totalResources(resources)
                        .attributes(attributes(config, info))
                        .versionInfo(
                            v ->
                                v.agentVersion(Agent.VERSION)
                                    .agentHash("berth")
                                    .dockerVersion("DockerVersion: " + info.serverVersion()))
                        .containerInstanceArn(
                            earlier == null ? null : earlier.containerInstanceArn()));
        String arn = response.containerInstance().containerInstanceArn();
        new InstanceIdentity(config.cluster(), arn).save(config.dataDir());
        LOG.info("registered as {} in cluster {}", arn, config.cluster());
        return arn;
      } catch (EcsException e) {
        if (previous == null || e.statusCode() >= 500) {
          throw e;
        }
        // The server no longer knows the instance this host was (deregistered, or pruned):
        // register as a new one, as the ECS agent does.
        LOG.warn(
            "the server refused to re-register {} ({}); registering as a new instance",
            previous.containerInstanceArn(),
            e.awsErrorDetails().errorMessage());
        previous = null;
      } catch (SdkClientException e) {
        // The server may still be starting: keep trying, as the ECS agent does.
        LOG.warn(
            "cannot reach {} to register ({}); retrying in {} ms",
            config.endpoint(),
            e.getMessage(),
            backoff.toMillis());
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                ? Duration.ofSeconds(30)
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Returns the attributes the agent registers, named as the ECS agent names them. */
  static List<Attribute> attributes(AgentConfig config, RuntimeInfo info) {
    return attributes(
        config.instanceType(), config.availabilityZone(), info.architecture(), info.apiVersion());
  }

  /**
   * Returns the attributes an agent registers for an instance of that type in that zone, on a
   * Docker engine of that architecture (as Docker names it) speaking that API version (e.g. 1.48);
   * simulated instances register the same.
   */
  public static List<Attribute> attributes(
      String instanceType, String availabilityZone, String dockerArchitecture, String apiVersion) {
    List<Attribute> attributes = new ArrayList<>();
    attributes.add(attribute("ecs.os-type", "linux"));
    attributes.add(attribute("ecs.os-family", "LINUX"));
    attributes.add(attribute("ecs.cpu-architecture", architecture(dockerArchitecture)));
    attributes.add(attribute("ecs.instance-type", instanceType));
    attributes.add(attribute("ecs.availability-zone", availabilityZone));
    String[] version = apiVersion.split("\\.");
    int minor = Integer.parseInt(version[1]);
    for (int i = 17; i <= minor; i++) {
      attributes.add(attribute("com.amazonaws.ecs.capability.docker-remote-api.1." + i, null));
    }
    for (String capability :
        List.of(
            "com.amazonaws.ecs.capability.logging-driver.json-file",
            "com.amazonaws.ecs.capability.logging-driver.none",
            "com.amazonaws.ecs.capability.privileged-container",
            "ecs.capability.container-health-check",
            "ecs.capability.container-ordering",
            "ecs.capability.docker-plugin.local",
            "ecs.capability.task-cpu-mem-limit")) {
      attributes.add(attribute(capability, null));
    }
    return attributes;
  }

  private static Attribute attribute(String name, String value) {
    return Attribute.builder().name(name).value(value).build();
  }

  private static String architecture(String docker) {
    return switch (docker == null ? "" : docker) {
      case "aarch64", "arm64" -> "arm64";
      case "x86_64", "amd64" -> "x86_64";
      default -> docker;
    };
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering", e);
    }
  }

  /** Lets the channel reach the engine, which is built after the channel it reports through. */
  private static final class EngineHolder {
    volatile TaskEngine engine;
  }
}
