package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Address;

/**
 * Registering, deregistering and setting the custom health of instances: the commands behind
 * RegisterInstance, DeregisterInstance and UpdateInstanceCustomHealthStatus, and behind the {@link
 * ServiceRegistry} seam that ECS services use.
 */
final class Registrations implements ServiceRegistry {
  /** Cloud Map's default quota of instances per service. */
  static final int MAX_INSTANCES = 1000;

  /** The most custom (non AWS_) attributes an instance may have. */
  static final int MAX_CUSTOM_ATTRIBUTES = 30;

  /** The most characters all attribute keys and values may have together. */
  static final int MAX_ATTRIBUTE_CHARS = 5000;

  private final CloudMapResources resources;
  private final String accountId;

  Registrations(CloudMapResources resources, String accountId) {
    this.resources = requireNonNull(resources);
    this.accountId = requireNonNull(accountId);
  }

  /**
   * Registers or updates an instance; the future holds the REGISTER_INSTANCE operation id. A
   * CreatorRequestId used before for the same instance answers that operation again; used for
   * another one, it is a DuplicateRequest.
   */
  CompletableFuture<String> register(
      DiscoveryRegion region,
      String account,
      String serviceIdOrArn,
      String instanceId,
      String creatorRequestId,
      Map<String, String> attributes) {
    Map<String, String> copy = Map.copyOf(attributes);
    return region.submit(
        () -> {
          CloudMapService service = CloudMapResources.service(region, serviceIdOrArn);
          Namespace namespace = region.namespace(service.namespaceId());
          Operation earlier = region.operationByRequest(creatorRequestId);
          if (earlier != null) {
            if (earlier.type().equals("REGISTER_INSTANCE")
                && instanceId.equals(earlier.targets().get("INSTANCE"))
                && service.id().equals(earlier.targets().get("SERVICE"))) {
              return CommandResult.of(earlier.id());
            }
            throw CloudMapErrors.duplicateRequest(earlier.id());
          }
          check(service, namespace, copy);
          ServiceInstance existing = region.instance(service.id(), instanceId);
          if (existing == null && region.instances(service.id()).size() >= MAX_INSTANCES) {
            throw CloudMapErrors.resourceLimitExceeded(
                "A service can hold at most " + MAX_INSTANCES + " instances.");
          }
          String health = null;
          if (service.hasCustomHealth()) {
            String initial = copy.get(ServiceInstance.INIT_HEALTH_STATUS);
            // Cloud Map starts a custom health check HEALTHY unless told otherwise.
            health =
                initial != null
                    ? initial
                    : existing != null && existing.customHealth() != null
                        ? existing.customHealth()
                        : ServiceInstance.HEALTHY;
          }
          ServiceInstance instance =
              new ServiceInstance(
                  region.region(),
                  service.id(),
                  instanceId,
                  copy,
                  creatorRequestId,
                  health,
                  account,
                  existing == null ? resources.now() : existing.registeredAt());
          Operation operation =
              resources.operation(
                  region,
                  account,
                  "REGISTER_INSTANCE",
                  Map.of("SERVICE", service.id(), "INSTANCE", instanceId),
                  creatorRequestId);
          List<StateRecord> records = new ArrayList<>();
          records.add(CloudMapResources.record(instance));
          records.add(CloudMapResources.record(service.nextRevision()));
          records.addAll(resources.operationRecords(region, operation));
          return CloudMapResources.result(records, operation.id());
        });
  }

  /** Deregisters an instance; the future holds the DEREGISTER_INSTANCE operation id. */
  CompletableFuture<String> deregister(
      DiscoveryRegion region, String account, String serviceIdOrArn, String instanceId) {
    return region.submit(
        () -> {
          CloudMapService service = CloudMapResources.service(region, serviceIdOrArn);
          ServiceInstance instance = CloudMapResources.instance(region, service.id(), instanceId);
          Operation operation =
              resources.operation(
                  region,
                  account,
                  "DEREGISTER_INSTANCE",
                  Map.of("SERVICE", service.id(), "INSTANCE", instanceId),
                  null);
          List<StateRecord> records = new ArrayList<>();
          records.add(new DeleteRecord(DiscoveryRegion.INSTANCE, instance.key()));
          records.add(CloudMapResources.record(service.nextRevision()));
          records.addAll(resources.operationRecords(region, operation));
          return CloudMapResources.result(records, operation.id());
        });
  }

  /**
   * Sets an instance's custom health status. Cloud Map applies it about 30 seconds later; Berth
   * applies it at once. Without a HealthCheckCustomConfig it is a CustomHealthNotFound, or nothing
   * when lenient.
   */
  CompletableFuture<Void> setCustomHealth(
      DiscoveryRegion region,
      String serviceIdOrArn,
      String instanceId,
      String status,
      boolean lenient) {
    return region.submit(
        () -> {
          CloudMapService service = CloudMapResources.service(region, serviceIdOrArn);
          ServiceInstance instance = CloudMapResources.instance(region, service.id(), instanceId);
          if (!service.hasCustomHealth()) {
            if (lenient) {
              return CommandResult.of((Void) null);
            }
            throw CloudMapErrors.customHealthNotFound(service.id());
          }
          if (status.equals(instance.customHealth())) {
            return CommandResult.of((Void) null);
          }
          List<StateRecord> records = new ArrayList<>();
          records.add(CloudMapResources.record(instance.withCustomHealth(status)));
          records.add(CloudMapResources.record(service.nextRevision()));
          return CloudMapResources.result(records, (Void) null);
        });
  }

  @Override
  public boolean exists(String serviceArn) {
    Arn arn = Arn.parse(requireNonNull(serviceArn));
    if (arn == null || !"service".equals(arn.resourceType())) {
      return false;
    }
    try {
      CloudMapResources.service(resources.region(arn.region()), serviceArn);
      return true;
    } catch (AwsException e) {
      return false;
    }
  }

  @Override
  public CompletableFuture<String> register(
      String serviceArn,
      String instanceId,
      String ipv4,
      Integer port,
      Map<String, String> attributes) {
    Map<String, String> all = new LinkedHashMap<>(attributes);
    if (ipv4 != null) {
      all.put(ServiceInstance.IPV4, ipv4);
    }
    if (port != null) {
      all.put(ServiceInstance.PORT, Integer.toString(port));
    }
    return register(regionOf(serviceArn), accountId, serviceArn, instanceId, null, all);
  }

  @Override
  public CompletableFuture<String> deregister(String serviceArn, String instanceId) {
    return deregister(regionOf(serviceArn), accountId, serviceArn, instanceId)
        .exceptionally(
            failure -> {
              Throwable cause = failure.getCause() == null ? failure : failure.getCause();
              if (cause instanceof AwsException aws
                  && (aws.code().equals("InstanceNotFound")
                      || aws.code().equals("ServiceNotFound"))) {
                return null;
              }
              throw failure instanceof RuntimeException runtime
                  ? runtime
                  : new IllegalStateException(failure);
            });
  }

  @Override
  public CompletableFuture<Void> setHealthy(String serviceArn, String instanceId, boolean healthy) {
    return setCustomHealth(
        regionOf(serviceArn),
        serviceArn,
        instanceId,
        healthy ? ServiceInstance.HEALTHY : ServiceInstance.UNHEALTHY,
        true);
  }

  @Override
  public List<Instance> instances(String region, String instanceId) {
    DiscoveryRegion discovery = resources.region(region);
    List<Instance> found = new ArrayList<>();
    for (CloudMapService service : discovery.services()) {
      ServiceInstance instance = discovery.instance(service.id(), instanceId);
      if (instance != null) {
        found.add(new Instance(service.arn(), instance.attributes(), instance.customHealth()));
      }
    }
    return found;
  }

  private DiscoveryRegion regionOf(String serviceArn) {
    Arn arn = Arn.parse(requireNonNull(serviceArn));
    if (arn == null || !"service".equals(arn.resourceType())) {
      throw CloudMapErrors.invalidInput("Not a Cloud Map service ARN: " + serviceArn);
    }
    return resources.region(arn.region());
  }

  private static void check(
      CloudMapService service, Namespace namespace, Map<String, String> attributes) {
    String ipv4 = attributes.get(ServiceInstance.IPV4);
    String ipv6 = attributes.get(ServiceInstance.IPV6);
    String port = attributes.get(ServiceInstance.PORT);
    if (ipv4 != null && !Address.isDottedQuad(ipv4)) {
      throw CloudMapErrors.invalidInput("AWS_INSTANCE_IPV4 is not an IPv4 address: " + ipv4);
    }
    if (ipv6 != null
        && (ipv6.indexOf(':') < 0 || Address.toByteArray(ipv6, Address.IPv6) == null)) {
      throw CloudMapErrors.invalidInput("AWS_INSTANCE_IPV6 is not an IPv6 address: " + ipv6);
    }
    if (port != null && !validPort(port)) {
      throw CloudMapErrors.invalidInput("AWS_INSTANCE_PORT is not a port number: " + port);
    }
    String initial = attributes.get(ServiceInstance.INIT_HEALTH_STATUS);
    if (initial != null
        && !initial.equals(ServiceInstance.HEALTHY)
        && !initial.equals(ServiceInstance.UNHEALTHY)) {
      throw CloudMapErrors.invalidInput("AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.");
    }
    if (namespace != null && namespace.isDns()) {
      require(service, "A", ipv4 != null, "AWS_INSTANCE_IPV4");
      require(service, "AAAA", ipv6 != null, "AWS_INSTANCE_IPV6");
      require(service, "CNAME", attributes.containsKey("AWS_INSTANCE_CNAME"), "AWS_INSTANCE_CNAME");
      require(service, "SRV", port != null, "AWS_INSTANCE_PORT");
      require(service, "SRV", ipv4 != null || ipv6 != null, "AWS_INSTANCE_IPV4 or _IPV6");
    }
    int custom = 0;
    int chars = 0;
    for (Map.Entry<String, String> entry : attributes.entrySet()) {
      custom += entry.getKey().startsWith("AWS_") ? 0 : 1;
      chars += entry.getKey().length() + entry.getValue().length();
    }
    if (custom > MAX_CUSTOM_ATTRIBUTES) {
      throw CloudMapErrors.invalidInput(
          "An instance can have at most " + MAX_CUSTOM_ATTRIBUTES + " custom attributes.");
    }
    if (chars > MAX_ATTRIBUTE_CHARS) {
      throw CloudMapErrors.invalidInput(
          "Attribute keys and values can have at most " + MAX_ATTRIBUTE_CHARS + " characters.");
    }
  }

  private static void require(
      CloudMapService service, String recordType, boolean present, String attribute) {
    if (service.dnsRecord(recordType) != null && !present) {
      throw CloudMapErrors.invalidInput(
          "The service has a " + recordType + " record, so " + attribute + " is required.");
    }
  }

  private static boolean validPort(String port) {
    try {
      int value = Integer.parseInt(port);
      return value >= 0 && value <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
