package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An instance registered in a Cloud Map service: its id, its attributes (AWS_INSTANCE_IPV4,
 * AWS_INSTANCE_PORT and custom ones) and, for a service with a custom health check, its health.
 */
record ServiceInstance(
    String region,
    String serviceId,
    String id,
    Map<String, String> attributes,
    String creatorRequestId,
    String customHealth,
    String createdByAccount,
    long registeredAt) {
  /** The attribute holding the IPv4 address of A records. */
  static final String IPV4 = "AWS_INSTANCE_IPV4";

  /** The attribute holding the IPv6 address of AAAA records. */
  static final String IPV6 = "AWS_INSTANCE_IPV6";

  /** The attribute holding the port of SRV records. */
  static final String PORT = "AWS_INSTANCE_PORT";

  /** The attribute holding the initial custom health status. */
  static final String INIT_HEALTH_STATUS = "AWS_INIT_HEALTH_STATUS";

  /** The health status of a healthy instance. */
  static final String HEALTHY = "HEALTHY";

  /** The health status of an unhealthy instance. */
  static final String UNHEALTHY = "UNHEALTHY";

  /** The health status of an instance of a service without a health check. */
  static final String UNKNOWN = "UNKNOWN";

  /** Creates an instance; the attributes are copied in key order. */
  ServiceInstance {
    requireNonNull(region);
    requireNonNull(serviceId);
    requireNonNull(id);
    attributes = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(attributes)));
    requireNonNull(createdByAccount);
  }

  /** Returns the health DiscoverInstances reports: the custom status, or UNKNOWN without one. */
  String healthStatus() {
    return customHealth == null ? UNKNOWN : customHealth;
  }

  /** Returns true unless a custom health check says the instance is unhealthy. */
  boolean isHealthy() {
    return !UNHEALTHY.equals(customHealth);
  }

  /** Returns a copy with another custom health status. */
  ServiceInstance withCustomHealth(String status) {
    return new ServiceInstance(
        region,
        serviceId,
        id,
        attributes,
        creatorRequestId,
        status,
        createdByAccount,
        registeredAt);
  }

  /** Returns the key the instance is stored under. */
  String key() {
    return key(region, serviceId, id);
  }

  /** Returns the key of an instance of a service in a region. */
  static String key(String region, String serviceId, String instanceId) {
    return region + "/" + serviceId + "/" + instanceId;
  }
}
