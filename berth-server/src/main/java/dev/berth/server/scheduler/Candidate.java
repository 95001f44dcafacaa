package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import dev.berth.server.state.Attribute;
import dev.berth.server.state.Resources;
import java.util.List;

/**
 * A container instance as placement sees it: its status, whether its agent is connected, what it
 * registered, what the tasks on it that are not yet STOPPED reserve, and its attributes.
 */
public record Candidate(
    String arn,
    String status,
    boolean agentConnected,
    Resources registered,
    Resources reserved,
    List<Attribute> attributes) {
  /** Creates a candidate; the attribute list is copied. */
  public Candidate {
    requireNonNull(arn);
    requireNonNull(status);
    requireNonNull(registered);
    requireNonNull(reserved);
    attributes = List.copyOf(attributes);
  }
}
