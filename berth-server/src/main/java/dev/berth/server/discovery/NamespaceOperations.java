package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePrivateDnsNamespace, CreateHttpNamespace, GetNamespace, ListNamespaces, DeleteNamespace and
 * GetOperation. Namespace names are unique in a region (Cloud Map allows a reused name in another
 * VPC; Berth has one network, so a second zone of the same name could never answer).
 */
final class NamespaceOperations {
  /** Cloud Map's default quota of namespaces per region. */
  static final int MAX_NAMESPACES = 50;

  private final CloudMapResources resources;

  NamespaceOperations(CloudMapResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, CloudMapOperation> operations) {
    operations.put("CreatePrivateDnsNamespace", this::createPrivateDnsNamespace);
    operations.put("CreateHttpNamespace", this::createHttpNamespace);
    operations.put("GetNamespace", this::getNamespace);
    operations.put("ListNamespaces", this::listNamespaces);
    operations.put("DeleteNamespace", this::deleteNamespace);
    operations.put("GetOperation", this::getOperation);
  }

  private CompletableFuture<JsonNode> createPrivateDnsNamespace(
      ObjectNode input, RequestContext context) {
    String name = stripTrailingDot(input.get("Name").asText());
    if (DnsRecords.origin(name) == null) {
      throw CloudMapErrors.invalidInput("Namespace name " + name + " is not a valid DNS name.");
    }
    JsonNode ttl = input.path("Properties").path("DnsProperties").path("SOA").path("TTL");
    long soaTtl = ttl.isMissingNode() ? DnsRecords.DEFAULT_SOA_TTL : ttl.asLong();
    return create(input, context, name, Namespace.DNS_PRIVATE, Json.text(input, "Vpc"), soaTtl);
  }

  private CompletableFuture<JsonNode> createHttpNamespace(
      ObjectNode input, RequestContext context) {
    return create(input, context, input.get("Name").asText(), Namespace.HTTP, null, 0);
  }

  private CompletableFuture<JsonNode> create(
      ObjectNode input, RequestContext context, String name, String type, String vpc, long soaTtl) {
    String creatorRequestId = Json.text(input, "CreatorRequestId");
    String description = Json.text(input, "Description");
    List<ResourceTag> tags = tags(input);
    DiscoveryRegion region = resources.region(context.region());
    return region.submit(
        () -> {
          Namespace existing = byName(region, name);
          Operation earlier = region.operationByRequest(creatorRequestId);
          if (existing != null) {
            if (creatorRequestId != null
                && creatorRequestId.equals(existing.creatorRequestId())
                && existing.type().equals(type)
                && earlier != null) {
              // A retry of the request that created it: the same answer again.
              return CommandResult.of(CloudMapJson.operationId(earlier.id()));
            }
            throw CloudMapErrors.namespaceAlreadyExists(existing);
          }
          if (earlier != null) {
            throw CloudMapErrors.duplicateRequest(earlier.id());
          }
          if (region.namespaces().size() >= MAX_NAMESPACES) {
            throw CloudMapErrors.resourceLimitExceeded(
                "A region can hold at most " + MAX_NAMESPACES + " namespaces.");
          }
          String id = CloudMapResources.newId("ns-", 16);
          Namespace namespace =
              new Namespace(
                  id,
                  CloudMapResources.arn(region.region(), context.accountId(), "namespace/" + id),
                  region.region(),
                  context.accountId(),
                  name,
                  type,
                  description,
                  creatorRequestId,
                  vpc,
                  Namespace.DNS_PRIVATE.equals(type)
                      ? CloudMapResources.newId("Z", 20).toUpperCase(Locale.ROOT)
                      : null,
                  soaTtl,
                  resources.now(),
                  tags);
          Operation operation =
              resources.operation(
                  region,
                  context.accountId(),
                  "CREATE_NAMESPACE",
                  Map.of("NAMESPACE", id),
                  creatorRequestId);
          List<StateRecord> records = new ArrayList<>();
          records.add(CloudMapResources.record(namespace));
          records.addAll(resources.operationRecords(region, operation));
          return CloudMapResources.result(records, CloudMapJson.operationId(operation.id()));
        });
  }

  private CompletableFuture<JsonNode> getNamespace(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    Namespace namespace = CloudMapResources.namespace(region, input.get("Id").asText());
    ObjectNode body = Json.object();
    body.set(
        "Namespace", CloudMapJson.namespace(namespace, serviceCount(region, namespace), false));
    return CompletableFuture.completedFuture(body);
  }

  private CompletableFuture<JsonNode> listNamespaces(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    List<Namespace> matching = new ArrayList<>();
    for (Namespace namespace : region.namespaces()) {
      if (matches(namespace, input.path("Filters"))) {
        matching.add(namespace);
      }
    }
    TokenPaging.Page<Namespace> page =
        CloudMapPaging.page(
            "ListNamespaces",
            matching,
            Namespace::id,
            input.has("MaxResults") ? input.get("MaxResults").asInt() : null,
            Json.text(input, "NextToken"));
    ObjectNode body = Json.object();
    var list = body.putArray("Namespaces");
    page.items()
        .forEach(
            namespace ->
                list.add(CloudMapJson.namespace(namespace, serviceCount(region, namespace), true)));
    if (page.nextToken() != null) {
      body.put("NextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(body);
  }

  private CompletableFuture<JsonNode> deleteNamespace(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    String idOrArn = input.get("Id").asText();
    return region.submit(
        () -> {
          Namespace namespace = CloudMapResources.namespace(region, idOrArn);
          if (serviceCount(region, namespace) > 0) {
            throw CloudMapErrors.resourceInUse(
                "The namespace " + namespace.id() + " has services; delete them first.");
          }
          Operation operation =
              resources.operation(
                  region,
                  context.accountId(),
                  "DELETE_NAMESPACE",
                  Map.of("NAMESPACE", namespace.id()),
                  null);
          List<StateRecord> records = new ArrayList<>();
          records.add(new DeleteRecord(DiscoveryRegion.NAMESPACE, namespace.arn()));
          records.addAll(resources.operationRecords(region, operation));
          return CloudMapResources.result(records, CloudMapJson.operationId(operation.id()));
        });
  }

  private CompletableFuture<JsonNode> getOperation(ObjectNode input, RequestContext context) {
    DiscoveryRegion region = resources.region(context.region());
    String id = input.get("OperationId").asText();
    Operation operation = region.operation(id);
    if (operation == null) {
      throw CloudMapErrors.operationNotFound(id);
    }
    ObjectNode body = Json.object();
    body.set("Operation", CloudMapJson.operation(operation));
    return CompletableFuture.completedFuture(body);
  }

  /** Returns the namespace of a region with a name, or null; DNS names match in any case. */
  static Namespace byName(DiscoveryRegion region, String name) {
    String wanted = stripTrailingDot(name);
    for (Namespace namespace : region.namespaces()) {
      if (namespace.name().equalsIgnoreCase(wanted)) {
        return namespace;
      }
    }
    return null;
  }

  private static int serviceCount(DiscoveryRegion region, Namespace namespace) {
    int count = 0;
    for (CloudMapService service : region.services()) {
      if (service.namespaceId().equals(namespace.id())) {
        count++;
      }
    }
    return count;
  }

  private static boolean matches(Namespace namespace, JsonNode filters) {
    for (JsonNode filter : filters) {
      String value =
          switch (filter.get("Name").asText()) {
            case "TYPE" -> namespace.type();
            case "NAME", "HTTP_NAME" -> namespace.name();
            case "RESOURCE_OWNER" -> namespace.ownerAccount();
            default -> throw CloudMapErrors.invalidInput("Unknown filter " + filter.get("Name"));
          };
      if (!Filters.matches(filter, value)) {
        return false;
      }
    }
    return true;
  }

  static List<ResourceTag> tags(ObjectNode input) {
    List<ResourceTag> tags = new ArrayList<>();
    for (JsonNode tag : input.path("Tags")) {
      tags.add(new ResourceTag(tag.get("Key").asText(), tag.get("Value").asText()));
    }
    return tags;
  }

  private static String stripTrailingDot(String name) {
    return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
