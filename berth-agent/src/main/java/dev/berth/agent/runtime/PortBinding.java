package dev.berth.agent.runtime;

import java.util.Locale;

/**
 * A container port and the host port it is published on; the host IP is null when it is published
 * on every address (or in host network mode, where the ports are the same).
 */
public record PortBinding(int containerPort, int hostPort, Protocol protocol, String hostIp) {
  /** A transport protocol of a port mapping. */
  public enum Protocol {
    TCP,
    UDP;

    /** Returns the protocol for ECS or Docker text; absent means tcp. */
    public static Protocol parse(String text) {
      return text == null || text.isBlank() ? TCP : valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    /** Returns the protocol as ECS and Docker spell it. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the ports and protocol. */
  public PortBinding {
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("containerPort out of range: " + containerPort);
    }
    if (hostPort < 0 || hostPort > 65535) {
      throw new IllegalArgumentException("hostPort out of range: " + hostPort);
    }
    if (protocol == null) {
      throw new IllegalArgumentException("protocol is required");
    }
  }
}
