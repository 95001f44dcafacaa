package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Tag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target group as stored: protocol and port, target type, health check, attributes and the
 * registered targets (registration is part of the group, so a restart restores it).
 */
record TargetGroup(
    String arn,
    String name,
    String protocol,
    int port,
    String vpcId,
    String targetType,
    HealthCheckConfig healthCheck,
    Map<String, String> attributes,
    List<RegisteredTarget> targets,
    List<Tag> tags) {
  TargetGroup {
    requireNonNull(arn);
    requireNonNull(name);
    requireNonNull(protocol);
    requireNonNull(targetType);
    requireNonNull(healthCheck);
    attributes = Map.copyOf(attributes);
    targets = List.copyOf(targets);
    tags = List.copyOf(tags);
  }

  /** Returns a copy with other health check settings. */
  TargetGroup withHealthCheck(HealthCheckConfig next) {
    return new TargetGroup(
        arn, name, protocol, port, vpcId, targetType, next, attributes, targets, tags);
  }

  /** Returns a copy with other attributes. */
  TargetGroup withAttributes(Map<String, String> next) {
    return new TargetGroup(
        arn, name, protocol, port, vpcId, targetType, healthCheck, next, targets, tags);
  }

  /** Returns a copy with other registered targets. */
  TargetGroup withTargets(List<RegisteredTarget> next) {
    return new TargetGroup(
        arn, name, protocol, port, vpcId, targetType, healthCheck, attributes, next, tags);
  }

  /** Returns every attribute: the defaults, overridden by what was set. */
  Map<String, String> effectiveAttributes() {
    Map<String, String> all = new TreeMap<>(TargetGroupAttributes.DEFAULTS);
    all.putAll(attributes);
    return all;
  }

  /** A registered target: an instance id or IP address, and the port. */
  record RegisteredTarget(String id, int port, String availabilityZone) {
    RegisteredTarget {
      requireNonNull(id);
    }
  }

  /** The HTTP health check settings, as ELB names them. */
  record HealthCheckConfig(
      String protocol,
      String port,
      String path,
      int intervalSeconds,
      int timeoutSeconds,
      int healthyThreshold,
      int unhealthyThreshold,
      String matcher) {
    /** ELB's defaults for an HTTP target group of an application load balancer. */
    static final HealthCheckConfig DEFAULT =
        new HealthCheckConfig("HTTP", "traffic-port", "/", 30, 5, 5, 2, "200");

    HealthCheckConfig {
      requireNonNull(protocol);
      requireNonNull(port);
      requireNonNull(path);
      requireNonNull(matcher);
    }
  }
}
