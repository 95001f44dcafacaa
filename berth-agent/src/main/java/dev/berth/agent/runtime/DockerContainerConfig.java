package dev.berth.agent.runtime;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.VolumesFrom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link ContainerSpec} into a Docker create-container request. */
final class DockerContainerConfig {
  private DockerContainerConfig() {}

  /** Fills the request from the spec and returns it. */
  static CreateContainerCmd apply(ContainerSpec spec, CreateContainerCmd cmd) {
    ContainerSpec.Process process = spec.process();
    ContainerSpec.Network network = spec.network();
    cmd.withName(spec.name()).withImage(spec.image()).withLabels(spec.labels());
    if (process.entryPoint() != null) {
      cmd.withEntrypoint(process.entryPoint());
    }
    if (process.command() != null) {
      cmd.withCmd(process.command());
    }
    List<String> env = new ArrayList<>();
    process.environment().forEach((key, value) -> env.add(key + "=" + value));
    if (!env.isEmpty()) {
      cmd.withEnv(env);
    }
    // docker-java refuses nulls where the API means "not set", so unset fields are left out.
    if (process.workingDirectory() != null) {
      cmd.withWorkingDir(process.workingDirectory());
    }
    if (process.user() != null) {
      cmd.withUser(process.user());
    }
    if (network.hostname() != null) {
      cmd.withHostName(network.hostname());
    }
    cmd.withTty(process.pseudoTerminal())
        .withStdinOpen(process.interactive())
        .withStopTimeout((int) Math.min(Integer.MAX_VALUE, spec.stopTimeout().toSeconds()));
    if (network.disabled()) {
      cmd.withNetworkDisabled(true);
    }
    if (spec.healthCheck() != null) {
      ContainerSpec.HealthCheck check = spec.healthCheck();
      cmd.withHealthcheck(
          new HealthCheck()
              .withTest(check.test())
              .withInterval(check.interval().toNanos())
              .withTimeout(check.timeout().toNanos())
              .withStartPeriod(check.startPeriod().toNanos())
              .withRetries(check.retries()));
    }
    List<ExposedPort> exposed = new ArrayList<>();
    Ports published = new Ports();
    for (PortBinding binding : network.ports()) {
      ExposedPort port =
          new ExposedPort(
              binding.containerPort(), InternetProtocol.parse(binding.protocol().text()));
      exposed.add(port);
      if (network.mode().equals("bridge")) {
        published.bind(
            port,
            binding.hostIp() == null
                ? Ports.Binding.bindPort(binding.hostPort())
                : Ports.Binding.bindIpAndPort(binding.hostIp(), binding.hostPort()));
      }
    }
    if (!exposed.isEmpty()) {
      cmd.withExposedPorts(exposed);
    }
    return cmd.withHostConfig(hostConfig(spec, published));
  }

  private static HostConfig hostConfig(ContainerSpec spec, Ports published) {
    ContainerSpec.Resources resources = spec.resources();
    ContainerSpec.Network network = spec.network();
    ContainerSpec.Storage storage = spec.storage();
    ContainerSpec.Security security = spec.security();
    ContainerSpec.Process process = spec.process();
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(network.mode())
            .withMemory(resources.memoryBytes())
            .withMemoryReservation(resources.memoryReservationBytes())
            .withMemorySwap(resources.memorySwapBytes())
            .withMemorySwappiness(resources.memorySwappiness())
            .withCpuShares(resources.cpuShares())
            .withNanoCPUs(resources.nanoCpus())
            .withShmSize(resources.sharedMemoryBytes())
            .withReadonlyRootfs(storage.readonlyRootFilesystem())
            .withPrivileged(security.privileged())
            .withPidMode(process.pidMode())
            .withIpcMode(process.ipcMode())
            .withPortBindings(published);
    if (process.init()) {
      host.withInit(true);
    }
    if (!resources.ulimits().isEmpty()) {
      host.withUlimits(
          resources.ulimits().stream()
              .map(u -> new Ulimit(u.name(), u.softLimit(), u.hardLimit()))
              .toList());
    }
    if (!storage.mounts().isEmpty()) {
      host.withBinds(
          storage.mounts().stream()
              .map(
                  m ->
                      new Bind(
                          m.source(),
                          new Volume(m.containerPath()),
                          m.readOnly() ? AccessMode.ro : AccessMode.rw))
              .toList());
    }
    if (!storage.volumesFrom().isEmpty()) {
      host.withVolumesFrom(
          storage.volumesFrom().stream()
              .map(
                  v -> new VolumesFrom(v.container(), v.readOnly() ? AccessMode.ro : AccessMode.rw))
              .toList());
    }
    if (!storage.tmpfs().isEmpty()) {
      host.withTmpFs(storage.tmpfs());
    }
    if (!storage.devices().isEmpty()) {
      host.withDevices(
          storage.devices().stream()
              .map(d -> new Device(d.permissions(), d.hostPath(), d.containerPath()))
              .toList());
    }
    if (!security.capabilitiesAdd().isEmpty()) {
      host.withCapAdd(capabilities(spec, security.capabilitiesAdd()));
    }
    if (!security.capabilitiesDrop().isEmpty()) {
      host.withCapDrop(capabilities(spec, security.capabilitiesDrop()));
    }
    if (!security.securityOptions().isEmpty()) {
      host.withSecurityOpts(security.securityOptions());
    }
    if (!security.sysctls().isEmpty()) {
      host.withSysctls(security.sysctls());
    }
    if (!network.dnsServers().isEmpty()) {
      host.withDns(network.dnsServers());
    }
    if (!network.dnsSearchDomains().isEmpty()) {
      host.withDnsSearch(network.dnsSearchDomains());
    }
    if (!network.extraHosts().isEmpty()) {
      host.withExtraHosts(network.extraHosts().toArray(String[]::new));
    }
    if (!network.links().isEmpty()) {
      host.withLinks(
          network.links().stream()
              .map(l -> new Link(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1)))
              .toList());
    }
    if (spec.log() != null) {
      host.withLogConfig(logConfig(spec));
    }
    return host;
  }

  private static Capability[] capabilities(ContainerSpec spec, List<String> names) {
    List<Capability> out = new ArrayList<>();
    for (String name : names) {
      String plain = name.toUpperCase(Locale.ROOT);
      plain = plain.startsWith("CAP_") ? plain.substring(4) : plain;
      try {
        out.add(Capability.valueOf(plain));
      } catch (IllegalArgumentException unknown) {
        throw new RuntimeFailure(
            RuntimeFailure.CANNOT_CREATE,
            "container " + spec.name() + ": unknown Linux capability " + name);
      }
    }
    return out.toArray(Capability[]::new);
  }

  private static LogConfig logConfig(ContainerSpec spec) {
    LogConfig.LoggingType type = LogConfig.LoggingType.fromValue(spec.log().driver());
    if (type == null) {
      throw new RuntimeFailure(
          RuntimeFailure.CANNOT_CREATE,
          "container " + spec.name() + ": log driver " + spec.log().driver() + " is not supported");
    }
    Map<String, String> options = spec.log().options();
    return new LogConfig(type, options.isEmpty() ? null : options);
  }
}
