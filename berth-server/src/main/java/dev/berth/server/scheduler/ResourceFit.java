package dev.berth.server.scheduler;

import dev.berth.server.ecs.state.Resources;

/** Whether a task's demand fits what an instance has left, with ECS's reason when it does not. */
public final class ResourceFit {
  /** The reason for an instance whose agent is not connected. */
  public static final String AGENT = "AGENT";

  /** The reason for an instance without an attribute the task definition requires. */
  public static final String ATTRIBUTE = "ATTRIBUTE";

  /** The reason for an instance without enough free CPU units. */
  public static final String CPU = "RESOURCE:CPU";

  /** The reason for an instance without enough free memory. */
  public static final String MEMORY = "RESOURCE:MEMORY";

  /** The reason for an instance where a TCP host port the task needs is taken. */
  public static final String PORTS = "RESOURCE:PORTS";

  /** The reason for an instance where a UDP host port the task needs is taken. */
  public static final String PORTS_UDP = "RESOURCE:PORTS_UDP";

  private ResourceFit() {}

  /**
   * Returns the first resource the instance lacks for the demand (CPU, memory, TCP ports, UDP
   * ports, in that order), or null if it fits. Ports the instance registered are taken, as the ECS
   * agent registers the ports it reserves for the host.
   */
  public static String shortfall(Resources demand, Resources registered, Resources reserved) {
    if ((long) reserved.cpu() + demand.cpu() > registered.cpu()) {
      return CPU;
    }
    if ((long) reserved.memory() + demand.memory() > registered.memory()) {
      return MEMORY;
    }
    for (Integer port : demand.tcpPorts()) {
      if (registered.tcpPorts().contains(port) || reserved.tcpPorts().contains(port)) {
        return PORTS;
      }
    }
    for (Integer port : demand.udpPorts()) {
      if (registered.udpPorts().contains(port) || reserved.udpPorts().contains(port)) {
        return PORTS_UDP;
      }
    }
    return null;
  }
}
