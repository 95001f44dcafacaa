package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Arn;
import java.util.List;

/**
 * An ECS container instance as stored: a host whose agent registered with a cluster, what it
 * registered and its status. Whether its agent is connected is not stored: it lives only as long as
 * the agent's channel (see {@link ContainerInstances#agentConnected}). The version counts the
 * changes ECS would report as container instance state change events, placement and release of
 * tasks included.
 */
public record ContainerInstance(
    String arn,
    String ec2InstanceId,
    String status,
    Resources registeredResources,
    List<Attribute> attributes,
    JsonNode versionInfo,
    List<Tag> tags,
    long registeredAt,
    Long deregisteredAt,
    long version) {

  /** The status of an instance that takes new tasks. */
  public static final String ACTIVE = "ACTIVE";

  /** The status of an instance that keeps its tasks but takes no new ones. */
  public static final String DRAINING = "DRAINING";

  /** The status of a deregistered instance, still describable for a while. */
  public static final String INACTIVE = "INACTIVE";

  /** Creates an instance record; lists are copied and a JSON null versionInfo counts as absent. */
  public ContainerInstance {
    requireNonNull(arn);
    requireNonNull(ec2InstanceId);
    requireNonNull(status);
    requireNonNull(registeredResources);
    attributes = List.copyOf(attributes);
    versionInfo = versionInfo == null || versionInfo.isNull() ? null : versionInfo;
    tags = List.copyOf(tags);
  }

  /** Returns the cluster name in the instance's ARN ({@code container-instance/CLUSTER/ID}). */
  public String clusterName() {
    return clusterNameOf(arn);
  }

  /** Returns true unless the instance was deregistered. */
  public boolean registered() {
    return !INACTIVE.equals(status);
  }

  /** Returns a copy with another status, one version on; deregistration is stamped with now. */
  public ContainerInstance withStatus(String newStatus, long now) {
    Long deregistered = INACTIVE.equals(newStatus) ? Long.valueOf(now) : deregisteredAt;
    return new ContainerInstance(
        arn,
        ec2InstanceId,
        newStatus,
        registeredResources,
        attributes,
        versionInfo,
        tags,
        registeredAt,
        deregistered,
        version + 1);
  }

  /** Returns a copy with other attributes, one version on. */
  public ContainerInstance withAttributes(List<Attribute> newAttributes) {
    return new ContainerInstance(
        arn,
        ec2InstanceId,
        status,
        registeredResources,
        newAttributes,
        versionInfo,
        tags,
        registeredAt,
        deregisteredAt,
        version + 1);
  }

  /** Returns a copy with other tags; tags are not a state change, so the version stays. */
  public ContainerInstance withTags(List<Tag> newTags) {
    return new ContainerInstance(
        arn,
        ec2InstanceId,
        status,
        registeredResources,
        attributes,
        versionInfo,
        newTags,
        registeredAt,
        deregisteredAt,
        version);
  }

  /** Returns the instance as its agent registered it again, one version on. */
  public ContainerInstance reregistered(
      Resources resources,
      List<Attribute> newAttributes,
      JsonNode newVersionInfo,
      List<Tag> newTags) {
    return new ContainerInstance(
        arn,
        ec2InstanceId,
        status,
        resources,
        newAttributes,
        newVersionInfo,
        newTags,
        registeredAt,
        deregisteredAt,
        version + 1);
  }

  /** Returns a copy at another version, for a change to the tasks it holds. */
  public ContainerInstance withVersion(long newVersion) {
    return new ContainerInstance(
        arn,
        ec2InstanceId,
        status,
        registeredResources,
        attributes,
        versionInfo,
        tags,
        registeredAt,
        deregisteredAt,
        newVersion);
  }

  /**
   * Returns true if the other record is this one at another version (made by {@link #withVersion}),
   * sharing every other part; a cheap test, not a deep comparison.
   */
  public boolean sameButVersion(ContainerInstance other) {
    return other != null
        && arn.equals(other.arn)
        && ec2InstanceId == other.ec2InstanceId
        && status == other.status
        && registeredResources == other.registeredResources
        && attributes == other.attributes
        && versionInfo == other.versionInfo
        && tags == other.tags
        && registeredAt == other.registeredAt
        && deregisteredAt == other.deregisteredAt;
  }

  /** Returns the value of an attribute, or null if the instance does not have it. */
  public String attribute(String name) {
    for (Attribute attribute : attributes) {
      if (attribute.name().equals(name)) {
        return attribute.value();
      }
    }
    return null;
  }

  /**
   * Returns the cluster name in a container instance or task ARN ({@code TYPE/CLUSTER/ID}), or null
   * if the ARN does not name one.
   */
  public static String clusterNameOf(String arn) {
    Arn parsed = Arn.parse(arn);
    if (parsed == null) {
      return null;
    }
    String resource = parsed.resource();
    int first = resource.indexOf('/');
    int second = first < 0 ? -1 : resource.indexOf('/', first + 1);
    return second < 0 || second == resource.length() - 1
        ? null
        : resource.substring(first + 1, second);
  }
}
