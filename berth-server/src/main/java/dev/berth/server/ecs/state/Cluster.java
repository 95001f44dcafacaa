package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An ECS cluster as stored: its identity and everything its owner set. Counts and statistics are
 * not stored; they are computed from the cluster's instances, tasks and services when described.
 * JSON members hold ECS shapes verbatim and are never mutated once in a record.
 */
public record Cluster(
    String arn,
    String name,
    String status,
    long createdAt,
    JsonNode configuration,
    JsonNode settings,
    JsonNode serviceConnectDefaults,
    List<String> capacityProviders,
    JsonNode defaultCapacityProviderStrategy,
    List<Tag> tags) {

  /** The ECS status of a cluster that can be used. */
  public static final String ACTIVE = "ACTIVE";

  /** The ECS status of a deleted cluster, still describable. */
  public static final String INACTIVE = "INACTIVE";

  /** Creates a cluster record; lists are copied and a JSON null member counts as absent. */
  public Cluster {
    requireNonNull(arn);
    requireNonNull(name);
    requireNonNull(status);
    // A null member is stored as JSON null and reads back as a NullNode; without this a cluster
    // would describe differently after a restart (members sent as null instead of left out).
    configuration = absentIfNull(configuration);
    settings = absentIfNull(settings);
    serviceConnectDefaults = absentIfNull(serviceConnectDefaults);
    defaultCapacityProviderStrategy = absentIfNull(defaultCapacityProviderStrategy);
    capacityProviders = List.copyOf(capacityProviders);
    tags = List.copyOf(tags);
  }

  /** Returns true if the cluster is ACTIVE. */
  @JsonIgnore
  public boolean isActive() {
    return ACTIVE.equals(status);
  }

  /** Returns a copy with another status. */
  public Cluster withStatus(String newStatus) {
    return new Cluster(
        arn,
        name,
        newStatus,
        createdAt,
        configuration,
        settings,
        serviceConnectDefaults,
        capacityProviders,
        defaultCapacityProviderStrategy,
        tags);
  }

  /** Returns a copy with other tags. */
  public Cluster withTags(List<Tag> newTags) {
    return new Cluster(
        arn,
        name,
        status,
        createdAt,
        configuration,
        settings,
        serviceConnectDefaults,
        capacityProviders,
        defaultCapacityProviderStrategy,
        newTags);
  }

  /** Returns a copy with other settings. */
  public Cluster withSettings(JsonNode newSettings) {
    return new Cluster(
        arn,
        name,
        status,
        createdAt,
        configuration,
        newSettings,
        serviceConnectDefaults,
        capacityProviders,
        defaultCapacityProviderStrategy,
        tags);
  }

  /** Returns a copy with another configuration and service connect defaults. */
  public Cluster withConfiguration(JsonNode newConfiguration, JsonNode newServiceConnectDefaults) {
    return new Cluster(
        arn,
        name,
        status,
        createdAt,
        newConfiguration,
        settings,
        newServiceConnectDefaults,
        capacityProviders,
        defaultCapacityProviderStrategy,
        tags);
  }

  /** Returns a copy with other capacity providers and default strategy. */
  public Cluster withCapacityProviders(List<String> providers, JsonNode strategy) {
    return new Cluster(
        arn,
        name,
        status,
        createdAt,
        configuration,
        settings,
        serviceConnectDefaults,
        providers,
        strategy,
        tags);
  }

  private static JsonNode absentIfNull(JsonNode member) {
    return member == null || member.isNull() ? null : member;
  }
}
