package dev.berth.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container to create, in Docker's terms: what {@link ContainerSpecs} makes of an ECS container
 * definition, and what {@link ContainerRuntime#create} takes. Null means "not set: the image's or
 * the daemon's default".
 */
public record ContainerSpec(
    String name,
    String image,
    Map<String, String> labels,
    Process process,
    Resources resources,
    Network network,
    Storage storage,
    Security security,
    LogConfig log,
    HealthCheck healthCheck,
    Duration stopTimeout) {

  /** Checks the required parts and copies the labels. */
  public ContainerSpec {
    requireNonNull(name, "name");
    requireNonNull(image, "image");
    labels = Map.copyOf(labels);
    requireNonNull(process, "process");
    requireNonNull(resources, "resources");
    requireNonNull(network, "network");
    requireNonNull(storage, "storage");
    requireNonNull(security, "security");
    requireNonNull(stopTimeout, "stopTimeout");
  }

  /** Returns a copy with one more label. */
  public ContainerSpec withLabel(String key, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(labels);
    more.put(key, value);
    return new ContainerSpec(
        name,
        image,
        more,
        process,
        resources,
        network,
        storage,
        security,
        log,
        healthCheck,
        stopTimeout);
  }

  /**
   * The process: entry point and command (null keeps the image's), environment in order, working
   * directory, user, stdin and TTY, whether an init process reaps zombies, and the PID and IPC
   * namespaces ({@code host}, {@code none} or null for the container's own).
   */
  public record Process(
      List<String> entryPoint,
      List<String> command,
      Map<String, String> environment,
      String workingDirectory,
      String user,
      boolean interactive,
      boolean pseudoTerminal,
      boolean init,
      String pidMode,
      String ipcMode) {
    /** Copies the lists and keeps the environment's order. */
    public Process {
      entryPoint = entryPoint == null ? null : List.copyOf(entryPoint);
      command = command == null ? null : List.copyOf(command);
      environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
  }

  /**
   * Limits: hard memory limit, soft reservation and memory+swap in bytes, swappiness, CPU shares, a
   * CPU quota in billionths of a CPU, {@code /dev/shm} size in bytes, and ulimits.
   */
  public record Resources(
      Long memoryBytes,
      Long memoryReservationBytes,
      Long memorySwapBytes,
      Long memorySwappiness,
      Integer cpuShares,
      Long nanoCpus,
      Long sharedMemoryBytes,
      List<Ulimit> ulimits) {
    /** Copies the ulimits. */
    public Resources {
      ulimits = List.copyOf(ulimits);
    }
  }

  /** A resource limit, e.g. {@code nofile}. */
  public record Ulimit(String name, long softLimit, long hardLimit) {
    /** Checks the name. */
    public Ulimit {
      requireNonNull(name, "name");
    }
  }

  /**
   * Networking: Docker network mode ({@code bridge}, {@code host} or {@code none}), host name, port
   * bindings (published in bridge mode; in host mode the ports the process binds), links ({@code
   * dockerName:alias}), DNS servers and search domains, extra {@code host:ip} entries, and whether
   * networking is disabled altogether.
   */
  public record Network(
      String mode,
      String hostname,
      List<PortBinding> ports,
      List<String> links,
      List<String> dnsServers,
      List<String> dnsSearchDomains,
      List<String> extraHosts,
      boolean disabled) {
    /** Checks the mode and copies the lists. */
    public Network {
      requireNonNull(mode, "mode");
      ports = List.copyOf(ports);
      links = List.copyOf(links);
      dnsServers = List.copyOf(dnsServers);
      dnsSearchDomains = List.copyOf(dnsSearchDomains);
      extraHosts = List.copyOf(extraHosts);
    }
  }

  /**
   * Storage: bind mounts and named volumes, volumes taken from other containers, tmpfs mounts (path
   * to Docker tmpfs options), a read-only root file system, and host devices.
   */
  public record Storage(
      List<Mount> mounts,
      List<VolumeFrom> volumesFrom,
      Map<String, String> tmpfs,
      boolean readonlyRootFilesystem,
      List<Device> devices) {
    /** Copies the collections. */
    public Storage {
      mounts = List.copyOf(mounts);
      volumesFrom = List.copyOf(volumesFrom);
      tmpfs = Collections.unmodifiableMap(new LinkedHashMap<>(tmpfs));
      devices = List.copyOf(devices);
    }
  }

  /**
   * A mount: a host path ({@code BIND}) or a Docker named volume ({@code VOLUME}) at a container
   * path.
   */
  public record Mount(Kind kind, String source, String containerPath, boolean readOnly) {
    /** What is mounted. */
    public enum Kind {
      BIND,
      VOLUME
    }

    /** Checks the parts. */
    public Mount {
      requireNonNull(kind, "kind");
      requireNonNull(source, "source");
      requireNonNull(containerPath, "containerPath");
    }
  }

  /** The volumes of another container (by Docker name or id), read-only or not. */
  public record VolumeFrom(String container, boolean readOnly) {
    /** Checks the container. */
    public VolumeFrom {
      requireNonNull(container, "container");
    }
  }

  /** A host device exposed in the container, with cgroup permissions such as {@code rwm}. */
  public record Device(String hostPath, String containerPath, String permissions) {
    /** Checks the parts. */
    public Device {
      requireNonNull(hostPath, "hostPath");
      requireNonNull(containerPath, "containerPath");
      requireNonNull(permissions, "permissions");
    }
  }

  /**
   * Privileges: privileged mode, Linux capabilities to add and drop (Docker names without {@code
   * CAP_}), security options (e.g. {@code no-new-privileges}) and namespaced kernel parameters.
   */
  public record Security(
      boolean privileged,
      List<String> capabilitiesAdd,
      List<String> capabilitiesDrop,
      List<String> securityOptions,
      Map<String, String> sysctls) {
    /** Copies the collections. */
    public Security {
      capabilitiesAdd = List.copyOf(capabilitiesAdd);
      capabilitiesDrop = List.copyOf(capabilitiesDrop);
      securityOptions = List.copyOf(securityOptions);
      sysctls = Map.copyOf(sysctls);
    }
  }

  /** A Docker log driver and its options. */
  public record LogConfig(String driver, Map<String, String> options) {
    /** Checks the driver and copies the options. */
    public LogConfig {
      requireNonNull(driver, "driver");
      options = Map.copyOf(options);
    }
  }

  /**
   * A health check: the test ({@code CMD ...} or {@code CMD-SHELL ...}), interval, timeout, start
   * period and the consecutive failures that make the container unhealthy.
   */
  public record HealthCheck(
      List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    /** Checks the parts. */
    public HealthCheck {
      test = List.copyOf(test);
      requireNonNull(interval, "interval");
      requireNonNull(timeout, "timeout");
      requireNonNull(startPeriod, "startPeriod");
    }
  }
}
