package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.EcsJson.integer;
import static dev.berth.agent.runtime.EcsJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.runtime.PortBinding.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a container's ECS {@code portMappings} into port bindings for its network mode: in bridge
 * mode each container port is published on a static or a dynamic host port, in host mode the ports
 * are the same, and none mode has no ports.
 */
final class PortMappings {
  /** One ECS port mapping, checked: a run of container ports and the host port asked for. */
  private record Request(int containerPort, int count, int hostPort, Protocol protocol) {}

  private PortMappings() {}

  /**
   * Returns the bindings, with the host ports taken from the allocator; if a port cannot be had,
   * the ones taken so far are given back before the failure is thrown.
   */
  static List<PortBinding> bind(
      String containerName, String networkMode, JsonNode container, HostPortAllocator ports) {
    List<Request> requests = new ArrayList<>();
    for (JsonNode mapping : EcsJson.items(container, "portMappings")) {
      requests.add(request(containerName, networkMode, mapping));
    }
    if (requests.isEmpty()) {
      return List.of();
    }
    if (networkMode.equals("none")) {
      throw refuse(containerName, "portMappings cannot be used with networkMode none");
    }
    List<PortBinding> bindings = new ArrayList<>();
    try {
      for (Request request : requests) {
        take(request, networkMode, ports, bindings);
      }
    } catch (RuntimeException e) {
      ports.release(bindings);
      throw e;
    }
    return bindings;
  }

  private static void take(
      Request request, String networkMode, HostPortAllocator ports, List<PortBinding> bindings) {
    boolean host = networkMode.equals("host");
    String hostIp = host ? null : ports.bindAddress();
    if (host || request.hostPort() > 0) {
      int first = host ? request.containerPort() : request.hostPort();
      for (int i = 0; i < request.count(); i++) {
        ports.claim(first + i, request.protocol());
        bindings.add(
            new PortBinding(request.containerPort() + i, first + i, request.protocol(), hostIp));
      }
      return;
    }
    int first = ports.allocate(request.protocol(), request.count());
    for (int i = 0; i < request.count(); i++) {
      bindings.add(
          new PortBinding(request.containerPort() + i, first + i, request.protocol(), hostIp));
    }
  }

  private static Request request(String containerName, String networkMode, JsonNode mapping) {
    Protocol protocol;
    try {
      protocol = Protocol.parse(text(mapping, "protocol"));
    } catch (IllegalArgumentException e) {
      throw refuse(containerName, "unknown protocol " + text(mapping, "protocol"));
    }
    Integer containerPort = integer(mapping, "containerPort");
    String range = text(mapping, "containerPortRange");
    Integer hostPort = integer(mapping, "hostPort");
    int host = hostPort == null ? 0 : hostPort;
    if (containerPort != null && range != null) {
      throw refuse(containerName, "a port mapping has both containerPort and containerPortRange");
    }
    int first;
    int count;
    if (range != null) {
      String[] ends = range.split("-");
      try {
        first = Integer.parseInt(ends[0].trim());
        int last = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : first;
        count = last - first + 1;
        if (ends.length > 2 || count < 1) {
          throw new NumberFormatException(range);
        }
      } catch (NumberFormatException e) {
        throw refuse(containerName, "bad containerPortRange " + range);
      }
      if (host != 0) {
        throw refuse(containerName, "hostPort cannot be set with containerPortRange " + range);
      }
    } else if (containerPort != null) {
      first = containerPort;
      count = 1;
    } else {
      throw refuse(containerName, "a port mapping has no containerPort");
    }
    if (first < 1 || first + count - 1 > 65535 || host < 0 || host > 65535) {
      throw refuse(containerName, "port out of range in a port mapping");
    }
    if (networkMode.equals("host") && host != 0 && host != first) {
      throw refuse(
          containerName,
          "in host network mode hostPort must equal containerPort (" + host + " != " + first + ")");
    }
    return new Request(first, count, host, protocol);
  }

  private static RuntimeFailure refuse(String containerName, String detail) {
    return new RuntimeFailure(
        RuntimeFailure.CANNOT_CREATE, "container " + containerName + ": " + detail);
  }
}
