package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

/** One entry of a service's event log, as DescribeServices shows it: an id, a time, a message. */
public record ServiceEvent(String id, long createdAt, String message) {
  /** Creates an event; every part is required. */
  public ServiceEvent {
    requireNonNull(id);
    requireNonNull(message);
  }
}
