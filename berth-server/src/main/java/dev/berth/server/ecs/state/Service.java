package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * An ECS service as stored: its identity and status, its settings, its deployments (the PRIMARY
 * first, then ACTIVE ones, then a short history of INACTIVE ones, newest first) and its events
 * (newest first, at most {@link #MAX_EVENTS}). Task counts are not stored: they are read from the
 * tasks of its group, {@code service:NAME}.
 *
 * @param steady whether the service was last seen in its steady state, so that reaching it again is
 *     told once
 */
public record Service(
    String arn,
    String name,
    String clusterArn,
    String status,
    ServiceSettings settings,
    List<Tag> tags,
    List<ServiceDeployment> deployments,
    List<ServiceEvent> events,
    boolean steady,
    long createdAt,
    String createdBy,
    String clientToken,
    long version) {

  /** A service the scheduler keeps. */
  public static final String ACTIVE = "ACTIVE";

  /** A deleted service whose tasks are being stopped. */
  public static final String DRAINING = "DRAINING";

  /** A deleted service without tasks, still describable. */
  public static final String INACTIVE = "INACTIVE";

  /** The most events a service keeps, as ECS shows them. */
  public static final int MAX_EVENTS = 100;

  /** The most INACTIVE deployments a service keeps for ListServiceDeployments. */
  public static final int MAX_HISTORY = 20;

  /** Creates a service record; lists are copied. */
  public Service {
    requireNonNull(arn);
    requireNonNull(name);
    requireNonNull(clusterArn);
    requireNonNull(status);
    requireNonNull(settings);
    tags = List.copyOf(tags);
    deployments = List.copyOf(deployments);
    events = List.copyOf(events);
  }

  /** Returns the task group of the service's tasks, {@code service:NAME}. */
  public String group() {
    return groupOf(name);
  }

  /** Returns the task group of a service's tasks, {@code service:NAME}. */
  public static String groupOf(String serviceName) {
    return "service:" + serviceName;
  }

  /** Returns true unless the service was deleted. */
  @JsonIgnore
  public boolean isActive() {
    return ACTIVE.equals(status);
  }

  /** Returns the PRIMARY deployment, or null if there is none. */
  public ServiceDeployment primary() {
    for (ServiceDeployment deployment : deployments) {
      if (ServiceDeployment.PRIMARY.equals(deployment.status())) {
        return deployment;
      }
    }
    return null;
  }

  /** Returns the deployments that are PRIMARY or ACTIVE, primary first. */
  public List<ServiceDeployment> current() {
    List<ServiceDeployment> current = new ArrayList<>();
    for (ServiceDeployment deployment : deployments) {
      if (!ServiceDeployment.INACTIVE.equals(deployment.status())) {
        current.add(deployment);
      }
    }
    return current;
  }

  /** Returns the deployment with that id, or null. */
  public ServiceDeployment deployment(String id) {
    for (ServiceDeployment deployment : deployments) {
      if (deployment.id().equals(id)) {
        return deployment;
      }
    }
    return null;
  }

  /** Returns a copy with another status, one version on. */
  public Service withStatus(String newStatus) {
    return new Service(
        arn,
        name,
        clusterArn,
        newStatus,
        settings,
        tags,
        deployments,
        events,
        steady,
        createdAt,
        createdBy,
        clientToken,
        version + 1);
  }

  /** Returns a copy with other settings, one version on. */
  public Service withSettings(ServiceSettings newSettings) {
    return new Service(
        arn,
        name,
        clusterArn,
        status,
        newSettings,
        tags,
        deployments,
        events,
        steady,
        createdAt,
        createdBy,
        clientToken,
        version + 1);
  }

  /** Returns a copy with other tags; tags are not a state change, so the version stays. */
  public Service withTags(List<Tag> newTags) {
    return new Service(
        arn,
        name,
        clusterArn,
        status,
        settings,
        newTags,
        deployments,
        events,
        steady,
        createdAt,
        createdBy,
        clientToken,
        version);
  }

  /**
   * Returns a copy with other deployments (INACTIVE ones beyond {@link #MAX_HISTORY} dropped,
   * oldest first), events (beyond {@link #MAX_EVENTS} dropped, oldest first) and steadiness, one
   * version on.
   */
  public Service withProgress(
      List<ServiceDeployment> newDeployments, List<ServiceEvent> newEvents, boolean isSteady) {
    List<ServiceDeployment> kept = new ArrayList<>();
    int inactive = 0;
    for (ServiceDeployment deployment : newDeployments) {
      if (ServiceDeployment.INACTIVE.equals(deployment.status()) && ++inactive > MAX_HISTORY) {
        continue;
      }
      kept.add(deployment);
    }
    List<ServiceEvent> latest =
        newEvents.size() > MAX_EVENTS ? newEvents.subList(0, MAX_EVENTS) : newEvents;
    return new Service(
        arn,
        name,
        clusterArn,
        status,
        settings,
        tags,
        kept,
        latest,
        isSteady,
        createdAt,
        createdBy,
        clientToken,
        version + 1);
  }
}
