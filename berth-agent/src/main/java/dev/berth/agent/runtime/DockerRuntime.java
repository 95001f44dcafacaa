package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerErrors.describe;
import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container runtime on a real Docker engine, through its Engine API. The API version is
 * negotiated once at {@link #connect}: the newest both the engine and docker-java know, never below
 * the engine's minimum.
 */
public final class DockerRuntime implements ContainerRuntime {
  /** The engine address when neither the caller nor {@code DOCKER_HOST} gives one. */
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

  /** How long a pull may take before it counts as failed. */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(15);

  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

  private final DockerClient docker;
  private final String serverVersion;
  private final ApiVersion apiVersion;
  private final DockerImages images;
  private final Set<DockerEventStream> streams = ConcurrentHashMap.newKeySet();

  private DockerRuntime(
      DockerClient docker, String serverVersion, ApiVersion apiVersion, Duration pullTimeout) {
    this.docker = docker;
    this.serverVersion = serverVersion;
    this.apiVersion = apiVersion;
    this.images = new DockerImages(docker, pullTimeout);
  }

  /** Connects to the engine at {@code DOCKER_HOST}, else the local socket. */
  public static DockerRuntime connect() {
    return connect(null);
  }

  /** Connects to the engine at the address, or the default one when it is null. */
  public static DockerRuntime connect(String dockerHost) {
    return connect(dockerHost, DEFAULT_PULL_TIMEOUT);
  }

  /**
   * Connects to the engine at the address (null for the default), asking it for its API versions
   * first over an unversioned request.
   *
   * @throws RuntimeFailure when the engine cannot be reached
   */
  public static DockerRuntime connect(String dockerHost, Duration pullTimeout) {
    requireNonNull(pullTimeout, "pullTimeout");
    String host = dockerHost;
    if (host == null || host.isBlank()) {
      String fromEnv = System.getenv("DOCKER_HOST");
      host = fromEnv == null || fromEnv.isBlank() ? DEFAULT_DOCKER_HOST : fromEnv;
    }
    Version version;
    try (DockerClient probe = client(host, RemoteApiVersion.UNKNOWN_VERSION)) {
      version = probe.versionCmd().exec();
    } catch (IOException | RuntimeException e) {
      throw new RuntimeFailure(
          RuntimeFailure.DOCKER_UNAVAILABLE,
          "cannot reach the Docker engine at " + host + ": " + describe(e),
          e);
    }
    ApiVersion chosen;
    try {
      ApiVersion daemonMin =
          version.getMinAPIVersion() == null ? null : ApiVersion.parse(version.getMinAPIVersion());
      chosen =
          ApiVersion.negotiate(
              ApiVersion.parse(version.getApiVersion()), daemonMin, ApiVersion.CLIENT_MAX);
    } catch (IllegalArgumentException e) {
      throw new RuntimeFailure(
          RuntimeFailure.DOCKER_UNAVAILABLE,
          "the Docker engine at " + host + " reports no usable API version: " + e.getMessage(),
          e);
    }
    LOG.info(
        "Docker engine {} at {} speaks API {} (min {}); using {}",
        version.getVersion(),
        host,
        version.getApiVersion(),
        version.getMinAPIVersion(),
        chosen);
    DockerClient docker = client(host, RemoteApiVersion.parseConfig(chosen.toString()));
    return new DockerRuntime(docker, version.getVersion(), chosen, pullTimeout);
  }

  private static DockerClient client(String host, RemoteApiVersion version) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion(version)
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Returns the docker-java client, for tests that look at what the engine holds. */
  DockerClient docker() {
    return docker;
  }

  @Override
  public RuntimeInfo info() {
    try {
      Info info = docker.infoCmd().exec();
      long memory = info.getMemTotal() == null ? 0 : info.getMemTotal() / (1024 * 1024);
      return new RuntimeInfo(
          serverVersion,
          apiVersion.toString(),
          info.getNCPU() == null ? 0 : info.getNCPU(),
          memory,
          info.getOsType(),
          info.getArchitecture());
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.DOCKER_UNAVAILABLE, describe(e), e);
    }
  }

  @Override
  public boolean ensureImage(String image, PullBehavior behavior, RegistryAuth auth) {
    requireNonNull(image, "image");
    requireNonNull(behavior, "behavior");
    return images.ensure(image, behavior, auth);
  }

  @Override
  public String create(ContainerSpec spec) {
    requireNonNull(spec, "spec");
    var cmd = DockerContainerConfig.apply(spec, docker.createContainerCmd(spec.image()));
    try {
      return cmd.exec().getId();
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_CREATE, describe(e), e);
    }
  }

  @Override
  public void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException alreadyRunning) {
      // Starting twice is not an error for the state machine.
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_START, describe(e), e);
    }
  }

  @Override
  public void stop(String id, Duration timeout) {
    // Docker counts whole seconds; round up so the process never gets less time than asked.
    long whole =
        timeout.isNegative() ? 0 : timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0);
    int seconds = (int) Math.min(Integer.MAX_VALUE, whole);
    try {
      docker.stopContainerCmd(id).withTimeout(seconds).exec();
    } catch (NotModifiedException | NotFoundException alreadyStopped) {
      // Stopping what is stopped or gone is what the caller wanted anyway.
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_STOP, describe(e), e);
    }
  }

  @Override
  public ContainerStats stats(String id) {
    return DockerStats.read(docker, requireNonNull(id, "id"));
  }

  @Override
  public ContainerStatus inspect(String id) {
    InspectContainerResponse response;
    try {
      response = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException gone) {
      return null;
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_INSPECT, describe(e), e);
    }
    return DockerInspection.status(response);
  }

  @Override
  public void remove(String id) {
    try {
      docker.removeContainerCmd(id).withRemoveVolumes(true).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Already removed.
    } catch (ConflictException e) {
      if (!describe(e).contains("already in progress")) {
        throw new RuntimeFailure(RuntimeFailure.CANNOT_REMOVE, describe(e), e);
      }
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_REMOVE, describe(e), e);
    }
  }

  @Override
  public List<ContainerSummary> list(Map<String, String> labelFilter) {
    try {
      var cmd = docker.listContainersCmd().withShowAll(true);
      List<String> labels = labelFilters(labelFilter);
      if (!labels.isEmpty()) {
        cmd.withFilter("label", labels);
      }
      return cmd.exec().stream().map(DockerInspection::summary).toList();
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_INSPECT, describe(e), e);
    }
  }

  @Override
  public AutoCloseable events(Map<String, String> labelFilter, Consumer<RuntimeEvent> listener) {
    requireNonNull(listener, "listener");
    DockerEventStream stream = new DockerEventStream(listener, streams::remove);
    streams.add(stream);
    try {
      var cmd =
          docker
              .eventsCmd()
              .withEventTypeFilter(EventType.CONTAINER)
              .withEventFilter("start", "die", "health_status", "oom", "destroy");
      List<String> labels = labelFilters(labelFilter);
      if (!labels.isEmpty()) {
        cmd.withLabelFilter(labels.toArray(String[]::new));
      }
      cmd.exec(stream);
      return stream;
    } catch (RuntimeException e) {
      stream.close();
      throw new RuntimeFailure(RuntimeFailure.DOCKER_UNAVAILABLE, describe(e), e);
    }
  }

  @Override
  public void createVolume(
      String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
    requireNonNull(name, "name");
    try {
      var cmd =
          docker.createVolumeCmd().withName(name).withDriver(driver == null ? "local" : driver);
      if (driverOpts != null && !driverOpts.isEmpty()) {
        cmd.withDriverOpts(driverOpts);
      }
      if (labels != null && !labels.isEmpty()) {
        cmd.withLabels(labels);
      }
      cmd.exec();
    } catch (RuntimeException e) {
      throw new RuntimeFailure(
          RuntimeFailure.VOLUME, "cannot create volume " + name + ": " + describe(e), e);
    }
  }

  @Override
  public boolean volumeExists(String name) {
    try {
      docker.inspectVolumeCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.VOLUME, describe(e), e);
    }
  }

  @Override
  public List<String> listVolumes(Map<String, String> labelFilter) {
    try {
      var cmd = docker.listVolumesCmd();
      List<String> labels = labelFilters(labelFilter);
      if (!labels.isEmpty()) {
        cmd.withFilter("label", labels);
      }
      var volumes = cmd.exec().getVolumes();
      return volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).toList();
    } catch (RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.VOLUME, describe(e), e);
    }
  }

  @Override
  public void removeVolume(String name) {
    try {
      docker.removeVolumeCmd(name).exec();
    } catch (NotFoundException gone) {
      // Already removed.
    } catch (RuntimeException e) {
      throw new RuntimeFailure(
          RuntimeFailure.VOLUME, "cannot remove volume " + name + ": " + describe(e), e);
    }
  }

  @Override
  public void close() {
    for (DockerEventStream stream : List.copyOf(streams)) {
      stream.close();
    }
    try {
      docker.close();
    } catch (IOException e) {
      LOG.debug("closing the Docker client", e);
    }
  }

  private static List<String> labelFilters(Map<String, String> labelFilter) {
    List<String> out = new ArrayList<>();
    if (labelFilter != null) {
      labelFilter.forEach(
          (key, value) -> out.add(value == null || value.isEmpty() ? key : key + "=" + value));
    }
    return out;
  }
}
