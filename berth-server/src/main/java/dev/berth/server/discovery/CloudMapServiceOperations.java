package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** CreateService, GetService, ListServices and DeleteService. */
final class CloudMapServiceOperations {
  private final CloudMapResources resources;

  CloudMapServiceOperations(CloudMapResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, CloudMapOperation> operations) {
    operations.put("CreateService", this::createService);
    operations.put("GetService", this::getService);
    operations.put("ListServices", this::listServices);
    operations.put("DeleteService", this::deleteService);
  }

  private CompletableFuture<JsonNode> createService(ObjectNode input, RequestContext context) {
    String name = input.get("Name").asText();
    JsonNode dnsConfig = input.get("DnsConfig");
    String namespaceRef = Json.text(input, "NamespaceId");
    if (namespaceRef == null && dnsConfig != null) {
      namespaceRef = Json.text(dnsConfig, "NamespaceId");
    }
    if (namespaceRef == null) {
      throw CloudMapErrors.invalidInput("NamespaceId is required.");
    }
    if (input.has("HealthCheckConfig")) {
      throw CloudMapErrors.invalidInput(
          "Berth does not run Route 53 health checks (HealthCheckConfig); use"
              + " HealthCheckCustomConfig and UpdateInstanceCustomHealthStatus.");
    }
    List<CloudMapService.DnsRecordSpec> records = dnsRecords(dnsConfig);
    String routing =
        dnsConfig == null ? null : dnsConfig.path("RoutingPolicy").asText("MULTIVALUE");
    if (records.stream().anyMatch(spec -> spec.type().equals("CNAME"))
        && !"WEIGHTED".equals(routing)) {
      throw CloudMapErrors.invalidInput("A CNAME record requires the WEIGHTED routing policy.");
    }
    Integer failureThreshold =
        input.has("HealthCheckCustomConfig")
            ? input.get("HealthCheckCustomConfig").path("FailureThreshold").asInt(1)
            : null;
    boolean httpOnly = "HTTP".equals(Json.text(input, "Type"));
    String creatorRequestId = Json.text(input, "CreatorRequestId");
    String description = Json.text(input, "Description");
    List<ResourceTag> tags = NamespaceOperations.tags(input);
    DiscoveryRegion region = resources.region(context.region());
    String namespaceIdOrArn = namespaceRef;
    return region.submit(
        () -> {
          Namespace namespace = CloudMapResources.namespace(region, namespaceIdOrArn);
          String type;
          if (namespace.isDns() && !httpOnly) {
            if (records.isEmpty()) {
              throw CloudMapErrors.invalidInput(
                  "A service in a DNS namespace needs a DnsConfig, or Type HTTP.");
            }
            type = "DNS_HTTP";
          } else {
            if (!records.isEmpty()) {
              throw CloudMapErrors.invalidInput(
                  namespace.isDns()
                      ? "A service of Type HTTP cannot have a DnsConfig."
                      : "A service in an HTTP namespace cannot have a DnsConfig.");
            }
            type = "HTTP";
          }
          CloudMapService existing = byName(region, namespace, name);
          if (existing != null) {
            if (creatorRequestId != null && creatorRequestId.equals(existing.creatorRequestId())) {
              return CommandResult.of(response(region, existing));
            }
            throw CloudMapErrors.serviceAlreadyExists(existing);
          }
          String id = CloudMapResources.newId("srv-", 16);
          CloudMapService service =
              new CloudMapService(
                  id,
                  CloudMapResources.arn(region.region(), context.accountId(), "service/" + id),
                  region.region(),
                  context.accountId(),
                  namespace.id(),
                  name,
                  type,
                  description,
                  creatorRequestId,
                  records.isEmpty() ? null : routing,
                  records,
                  failureThreshold,
                  resources.now(),
                  0,
                  tags);
          return CommandResult.of(CloudMapResources.record(service), response(region, service));
        });
  }

  private static ObjectNode response(DiscoveryRegion region, CloudMapService service) {
    ObjectNode body = Json.object();
    body.set(
        "Service", CloudMapJson.service(service, region.instances(service.id()).size(), false));
    return body;
  }

  private CompletableFuture<JsonNode> getService(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    CloudMapService service = CloudMapResources.service(region, input.get("Id").asText());
    return CompletableFuture.completedFuture(response(region, service));
  }

  private CompletableFuture<JsonNode> listServices(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    List<CloudMapService> matching = new ArrayList<>();
    for (CloudMapService service : region.services()) {
      if (matches(service, input.path("Filters"))) {
        matching.add(service);
      }
    }
    TokenPaging.Page<CloudMapService> page =
        CloudMapPaging.page(
            "ListServices",
            matching,
            CloudMapService::id,
            input.has("MaxResults") ? input.get("MaxResults").asInt() : null,
            Json.text(input, "NextToken"));
    ObjectNode body = Json.object();
    var list = body.putArray("Services");
    page.items()
        .forEach(
            service ->
                list.add(
                    CloudMapJson.service(service, region.instances(service.id()).size(), true)));
    if (page.nextToken() != null) {
      body.put("NextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(body);
  }

  private CompletableFuture<JsonNode> deleteService(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    String idOrArn = input.get("Id").asText();
    return region.submit(
        () -> {
          CloudMapService service = CloudMapResources.service(region, idOrArn);
          if (!region.instances(service.id()).isEmpty()) {
            throw CloudMapErrors.resourceInUse(
                "The service "
                    + service.id()
                    + " has registered instances; deregister them first.");
          }
          return CommandResult.of(
              new DeleteRecord(DiscoveryRegion.SERVICE, service.arn()), (JsonNode) Json.object());
        });
  }

  /**
   * Returns the service of a namespace with a name, or null; names of services reachable by DNS
   * match in any case, as their DNS names do.
   */
  static CloudMapService byName(DiscoveryRegion region, Namespace namespace, String name) {
    for (CloudMapService service : region.services()) {
      if (service.namespaceId().equals(namespace.id())
          && (namespace.isDns()
              ? service.name().equalsIgnoreCase(name)
              : service.name().equals(name))) {
        return service;
      }
    }
    return null;
  }

  private static List<CloudMapService.DnsRecordSpec> dnsRecords(JsonNode dnsConfig) {
    List<CloudMapService.DnsRecordSpec> records = new ArrayList<>();
    if (dnsConfig == null) {
      return records;
    }
    Set<String> types = new HashSet<>();
    for (JsonNode record : dnsConfig.path("DnsRecords")) {
      String type = record.get("Type").asText();
      if (!types.add(type)) {
        throw CloudMapErrors.invalidInput("DnsRecords has two records of type " + type + ".");
      }
      records.add(new CloudMapService.DnsRecordSpec(type, record.get("TTL").asLong()));
    }
    if (records.isEmpty()) {
      throw CloudMapErrors.invalidInput("DnsConfig needs at least one DnsRecord.");
    }
    if (types.contains("CNAME") && types.size() > 1) {
      throw CloudMapErrors.invalidInput("A CNAME record cannot be combined with other records.");
    }
    return records;
  }

  private static boolean matches(CloudMapService service, JsonNode filters) {
    for (JsonNode filter : filters) {
      String value =
          switch (filter.get("Name").asText()) {
            case "NAMESPACE_ID" -> service.namespaceId();
            case "RESOURCE_OWNER" -> service.ownerAccount();
            default -> throw CloudMapErrors.invalidInput("Unknown filter " + filter.get("Name"));
          };
      if (!Filters.matches(filter, value)) {
        return false;
      }
    }
    return true;
  }
}
