package dev.berth.server.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.Map;

/** Shapes Cloud Map's response members from Berth's records; absent members are left out. */
final class CloudMapJson {
  private CloudMapJson() {}

  /** Returns the Namespace shape (GetNamespace), or the NamespaceSummary shape if summary. */
  static ObjectNode namespace(Namespace namespace, int serviceCount, boolean summary) {
    ObjectNode node = Json.object();
    node.put("Id", namespace.id());
    node.put("Arn", namespace.arn());
    node.put("ResourceOwner", namespace.ownerAccount());
    node.put("Name", namespace.name());
    node.put("Type", namespace.type());
    putIfPresent(node, "Description", namespace.description());
    node.put("ServiceCount", serviceCount);
    ObjectNode properties = node.putObject("Properties");
    if (namespace.isDns()) {
      ObjectNode dns = properties.putObject("DnsProperties");
      dns.put("HostedZoneId", namespace.hostedZoneId());
      dns.putObject("SOA").put("TTL", namespace.soaTtl());
    }
    properties.putObject("HttpProperties").put("HttpName", namespace.name());
    node.set("CreateDate", Json.timestamp(namespace.createdAt()));
    if (!summary) {
      putIfPresent(node, "CreatorRequestId", namespace.creatorRequestId());
    }
    return node;
  }

  /** Returns the Service shape (CreateService, GetService), or ServiceSummary if summary. */
  static ObjectNode service(CloudMapService service, int instanceCount, boolean summary) {
    ObjectNode node = Json.object();
    node.put("Id", service.id());
    node.put("Arn", service.arn());
    node.put("ResourceOwner", service.ownerAccount());
    node.put("Name", service.name());
    if (!summary) {
      node.put("NamespaceId", service.namespaceId());
    }
    node.put("Type", service.type());
    putIfPresent(node, "Description", service.description());
    node.put("InstanceCount", instanceCount);
    if (!service.dnsRecords().isEmpty()) {
      ObjectNode dns = node.putObject("DnsConfig");
      dns.put("NamespaceId", service.namespaceId());
      dns.put("RoutingPolicy", service.routingPolicy());
      ArrayNode records = dns.putArray("DnsRecords");
      for (CloudMapService.DnsRecordSpec spec : service.dnsRecords()) {
        records.addObject().put("Type", spec.type()).put("TTL", spec.ttl());
      }
    }
    if (service.hasCustomHealth()) {
      node.putObject("HealthCheckCustomConfig")
          .put("FailureThreshold", service.customHealthFailureThreshold());
    }
    node.set("CreateDate", Json.timestamp(service.createdAt()));
    if (!summary) {
      putIfPresent(node, "CreatorRequestId", service.creatorRequestId());
    }
    node.put("CreatedByAccount", service.ownerAccount());
    return node;
  }

  /** Returns the Operation shape. */
  static ObjectNode operation(Operation operation) {
    ObjectNode node = Json.object();
    node.put("Id", operation.id());
    node.put("OwnerAccount", operation.ownerAccount());
    node.put("Type", operation.type());
    node.put("Status", operation.status());
    node.set("CreateDate", Json.timestamp(operation.createdAt()));
    node.set("UpdateDate", Json.timestamp(operation.updatedAt()));
    ObjectNode targets = node.putObject("Targets");
    operation.targets().forEach(targets::put);
    return node;
  }

  /** Returns the InstanceSummary shape. */
  static ObjectNode instanceSummary(ServiceInstance instance) {
    ObjectNode node = Json.object();
    node.put("Id", instance.id());
    node.set("Attributes", attributes(instance.attributes()));
    node.put("CreatedByAccount", instance.createdByAccount());
    return node;
  }

  /** Returns the HttpInstanceSummary shape of DiscoverInstances. */
  static ObjectNode httpInstance(
      ServiceInstance instance, Namespace namespace, CloudMapService service) {
    ObjectNode node = Json.object();
    node.put("InstanceId", instance.id());
    node.put("NamespaceName", namespace.name());
    node.put("ServiceName", service.name());
    node.put("HealthStatus", instance.healthStatus());
    node.set("Attributes", attributes(instance.attributes()));
    return node;
  }

  /** Returns a body holding only an OperationId. */
  static ObjectNode operationId(String operationId) {
    ObjectNode node = Json.object();
    node.put("OperationId", operationId);
    return node;
  }

  private static ObjectNode attributes(Map<String, String> attributes) {
    ObjectNode node = Json.object();
    attributes.forEach(node::put);
    return node;
  }

  private static void putIfPresent(ObjectNode node, String member, String value) {
    if (value != null) {
      node.put(member, value);
    }
  }
}
