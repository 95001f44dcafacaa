package dev.berth.agent.runtime;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Docker's views of a container into {@link ContainerStatus} and {@link ContainerSummary}.
 */
final class DockerInspection {
  private DockerInspection() {}

  /** Returns the status in an inspect response. */
  static ContainerStatus status(InspectContainerResponse response) {
    InspectContainerResponse.ContainerState state = response.getState();
    String health = state.getHealth() == null ? null : state.getHealth().getStatus();
    Map<String, String> labels =
        response.getConfig() == null || response.getConfig().getLabels() == null
            ? Map.of()
            : response.getConfig().getLabels();
    return new ContainerStatus(
        response.getId(),
        stripSlash(response.getName()),
        ContainerState.fromDocker(state.getStatus()),
        state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue(),
        time(state.getStartedAt()),
        time(state.getFinishedAt()),
        HealthStatus.fromDocker(health),
        Boolean.TRUE.equals(state.getOOMKilled()),
        emptyToNull(state.getError()),
        publishedPorts(response),
        labels);
  }

  /** Returns the summary of a listed container. */
  static ContainerSummary summary(Container container) {
    String[] names = container.getNames();
    List<PortBinding> ports = new ArrayList<>();
    if (container.getPorts() != null) {
      for (ContainerPort port : container.getPorts()) {
        if (port.getPublicPort() != null && port.getPrivatePort() != null) {
          ports.add(
              new PortBinding(
                  port.getPrivatePort(),
                  port.getPublicPort(),
                  PortBinding.Protocol.parse(port.getType()),
                  emptyToNull(port.getIp())));
        }
      }
    }
    return new ContainerSummary(
        container.getId(),
        names == null || names.length == 0 ? "" : stripSlash(names[0]),
        container.getLabels() == null ? Map.of() : container.getLabels(),
        ContainerState.fromDocker(container.getState()),
        ports);
  }

  private static List<PortBinding> publishedPorts(InspectContainerResponse response) {
    List<PortBinding> out = new ArrayList<>();
    if (response.getNetworkSettings() == null || response.getNetworkSettings().getPorts() == null) {
      return out;
    }
    Map<ExposedPort, Ports.Binding[]> bindings =
        response.getNetworkSettings().getPorts().getBindings();
    for (Map.Entry<ExposedPort, Ports.Binding[]> entry : bindings.entrySet()) {
      // Exposed but unpublished ports have no bindings.
      if (entry.getValue() == null) {
        continue;
      }
      for (Ports.Binding binding : entry.getValue()) {
        String hostPort = binding.getHostPortSpec();
        if (hostPort == null || hostPort.isEmpty()) {
          continue;
        }
        out.add(
            new PortBinding(
                entry.getKey().getPort(),
                Integer.parseInt(hostPort),
                PortBinding.Protocol.parse(entry.getKey().getProtocol().toString()),
                emptyToNull(binding.getHostIp())));
      }
    }
    return out;
  }

  // Docker writes the zero time for "never": a container not started, or not finished.
  private static Instant time(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
      return null;
    }
    return Instant.parse(text);
  }

  private static String stripSlash(String name) {
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
