package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One revision of a task definition family: the body its owner registered (ECS's TaskDefinition
 * shape without the members ECS computes), its status and its tags. The body is never mutated once
 * in a record.
 */
public record TaskDefinition(
    String arn,
    String family,
    int revision,
    String status,
    ObjectNode body,
    List<Tag> tags,
    long registeredAt,
    String registeredBy,
    Long deregisteredAt,
    Long deleteRequestedAt) {

  /** The status of a revision that can be run. */
  public static final String ACTIVE = "ACTIVE";

  /** The status of a deregistered revision. */
  public static final String INACTIVE = "INACTIVE";

  /** The status of a revision whose deletion was requested. */
  public static final String DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS";

  /** Creates a task definition record; the tag list is copied. */
  public TaskDefinition {
    requireNonNull(arn);
    requireNonNull(family);
    requireNonNull(status);
    requireNonNull(body);
    tags = List.copyOf(tags);
  }

  /** Returns {@code family:revision}. */
  @JsonIgnore
  public String familyRevision() {
    return family + ":" + revision;
  }

  /** Returns a copy with another status, stamped with the time of the change. */
  public TaskDefinition withStatus(String newStatus, long now) {
    Long deregistered = INACTIVE.equals(newStatus) ? Long.valueOf(now) : deregisteredAt;
    Long deleteRequested =
        DELETE_IN_PROGRESS.equals(newStatus) ? Long.valueOf(now) : deleteRequestedAt;
    return new TaskDefinition(
        arn,
        family,
        revision,
        newStatus,
        body,
        tags,
        registeredAt,
        registeredBy,
        deregistered,
        deleteRequested);
  }

  /** Returns a copy with other tags. */
  public TaskDefinition withTags(List<Tag> newTags) {
    return new TaskDefinition(
        arn,
        family,
        revision,
        status,
        body,
        newTags,
        registeredAt,
        registeredBy,
        deregisteredAt,
        deleteRequestedAt);
  }
}
