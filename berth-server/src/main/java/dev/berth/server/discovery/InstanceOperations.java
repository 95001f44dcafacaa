package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * RegisterInstance, DeregisterInstance, ListInstances, GetInstancesHealthStatus,
 * UpdateInstanceCustomHealthStatus and DiscoverInstances.
 */
final class InstanceOperations {
  private final CloudMapResources resources;
  private final Registrations registrations;

  InstanceOperations(CloudMapResources resources, Registrations registrations) {
    this.resources = requireNonNull(resources);
    this.registrations = requireNonNull(registrations);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, CloudMapOperation> operations) {
    operations.put("RegisterInstance", this::registerInstance);
    operations.put("DeregisterInstance", this::deregisterInstance);
    operations.put("ListInstances", this::listInstances);
    operations.put("GetInstancesHealthStatus", this::getInstancesHealthStatus);
    operations.put("UpdateInstanceCustomHealthStatus", this::updateInstanceCustomHealthStatus);
    operations.put("DiscoverInstances", this::discoverInstances);
  }

  private CompletableFuture<JsonNode> registerInstance(ObjectNode input, RequestContext context) {
    return registrations
        .register(
            resources.region(context.region()),
            context.accountId(),
            input.get("ServiceId").asText(),
            input.get("InstanceId").asText(),
            Json.text(input, "CreatorRequestId"),
            attributes(input.get("Attributes")))
        .thenApply(CloudMapJson::operationId);
  }

  private CompletableFuture<JsonNode> deregisterInstance(ObjectNode input, RequestContext context) {
    return registrations
        .deregister(
            resources.region(context.region()),
            context.accountId(),
            input.get("ServiceId").asText(),
            input.get("InstanceId").asText())
        .thenApply(CloudMapJson::operationId);
  }

  private CompletableFuture<JsonNode> updateInstanceCustomHealthStatus(
      ObjectNode input, RequestContext context) {
    return registrations
        .setCustomHealth(
            resources.region(context.region()),
            input.get("ServiceId").asText(),
            input.get("InstanceId").asText(),
            input.get("Status").asText(),
            false)
        .thenApply(ignored -> Json.object());
  }

  private CompletableFuture<JsonNode> listInstances(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    CloudMapService service = CloudMapResources.service(region, input.get("ServiceId").asText());
    TokenPaging.Page<ServiceInstance> page =
        CloudMapPaging.page(
            "ListInstances " + service.id(),
            List.copyOf(region.instances(service.id())),
            ServiceInstance::id,
            maxResults(input),
            Json.text(input, "NextToken"));
    ObjectNode body = Json.object();
    body.put("ResourceOwner", service.ownerAccount());
    ArrayNode list = body.putArray("Instances");
    page.items().forEach(instance -> list.add(CloudMapJson.instanceSummary(instance)));
    if (page.nextToken() != null) {
      body.put("NextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(body);
  }

  private CompletableFuture<JsonNode> getInstancesHealthStatus(
      ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    CloudMapService service = CloudMapResources.service(region, input.get("ServiceId").asText());
    List<ServiceInstance> instances = new ArrayList<>();
    if (input.has("Instances")) {
      for (JsonNode id : input.get("Instances")) {
        instances.add(CloudMapResources.instance(region, service.id(), id.asText()));
      }
      instances.sort((a, b) -> a.id().compareTo(b.id()));
    } else {
      instances.addAll(region.instances(service.id()));
    }
    TokenPaging.Page<ServiceInstance> page =
        CloudMapPaging.page(
            "GetInstancesHealthStatus " + service.id(),
            instances,
            ServiceInstance::id,
            maxResults(input),
            Json.text(input, "NextToken"));
    ObjectNode body = Json.object();
    ObjectNode status = body.putObject("Status");
    page.items().forEach(instance -> status.put(instance.id(), instance.healthStatus()));
    if (page.nextToken() != null) {
      body.put("NextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(body);
  }

  private CompletableFuture<JsonNode> discoverInstances(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    String namespaceName = input.get("NamespaceName").asText();
    Namespace namespace = NamespaceOperations.byName(region, namespaceName);
    if (namespace == null) {
      throw CloudMapErrors.namespaceNotFound(namespaceName);
    }
    String serviceName = input.get("ServiceName").asText();
    CloudMapService service = CloudMapServiceOperations.byName(region, namespace, serviceName);
    if (service == null) {
      throw CloudMapErrors.serviceNotFound(serviceName);
    }
    Map<String, String> query = attributes(input.get("QueryParameters"));
    Map<String, String> optional = attributes(input.get("OptionalParameters"));
    String health = input.path("HealthStatus").asText("HEALTHY");
    List<ServiceInstance> found = new ArrayList<>();
    for (ServiceInstance instance : region.instances(service.id())) {
      if (hasAll(instance, query)) {
        found.add(instance);
      }
    }
    if (service.hasCustomHealth()) {
      found = byHealth(found, health);
    }
    List<ServiceInstance> narrowed =
        found.stream().filter(instance -> hasAll(instance, optional)).toList();
    if (!narrowed.isEmpty()) {
      found = narrowed;
    }
    int max = input.has("MaxResults") ? input.get("MaxResults").asInt() : 100;
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("Instances");
    found.stream()
        .limit(max)
        .forEach(instance -> list.add(CloudMapJson.httpInstance(instance, namespace, service)));
    body.put("InstancesRevision", service.revision());
    return CompletableFuture.completedFuture(body);
  }

  private static List<ServiceInstance> byHealth(List<ServiceInstance> instances, String filter) {
    List<ServiceInstance> healthy = instances.stream().filter(ServiceInstance::isHealthy).toList();
    return switch (filter) {
      case "ALL" -> instances;
      case "UNHEALTHY" -> instances.stream().filter(instance -> !instance.isHealthy()).toList();
      case "HEALTHY_OR_ELSE_ALL" -> healthy.isEmpty() ? instances : healthy;
      default -> healthy;
    };
  }

  private static boolean hasAll(ServiceInstance instance, Map<String, String> wanted) {
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      if (!entry.getValue().equals(instance.attributes().get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static Integer maxResults(ObjectNode input) {
    return input.has("MaxResults") ? input.get("MaxResults").asInt() : null;
  }

  private static Map<String, String> attributes(JsonNode node) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (node != null) {
      node.properties().forEach(entry -> attributes.put(entry.getKey(), entry.getValue().asText()));
    }
    return attributes;
  }
}
