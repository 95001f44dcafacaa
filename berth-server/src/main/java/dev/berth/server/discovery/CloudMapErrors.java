package dev.berth.server.discovery;

import dev.berth.api.AwsException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Returns Cloud Map's exceptions by their model names; all are client errors (HTTP 400). */
final class CloudMapErrors {
  private CloudMapErrors() {}

  /** Returns an InvalidInput: a parameter is not valid. */
  static AwsException invalidInput(String message) {
    return new AwsException("InvalidInput", 400, message);
  }

  /** Returns a NamespaceNotFound. */
  static AwsException namespaceNotFound(String id) {
    return new AwsException("NamespaceNotFound", 400, "Namespace not found: " + id);
  }

  /** Returns a ServiceNotFound. */
  static AwsException serviceNotFound(String id) {
    return new AwsException("ServiceNotFound", 400, "Service not found: " + id);
  }

  /** Returns an InstanceNotFound. */
  static AwsException instanceNotFound(String id) {
    return new AwsException("InstanceNotFound", 400, "Instance not found: " + id);
  }

  /** Returns an OperationNotFound. */
  static AwsException operationNotFound(String id) {
    return new AwsException("OperationNotFound", 400, "Operation not found: " + id);
  }

  /** Returns a CustomHealthNotFound: the service has no custom health check. */
  static AwsException customHealthNotFound(String serviceId) {
    return new AwsException(
        "CustomHealthNotFound",
        400,
        "The service " + serviceId + " has no custom health check (HealthCheckCustomConfig).");
  }

  /** Returns a ResourceInUse: the resource has others that depend on it. */
  static AwsException resourceInUse(String message) {
    return new AwsException("ResourceInUse", 400, message);
  }

  /** Returns a ResourceLimitExceeded. */
  static AwsException resourceLimitExceeded(String message) {
    return new AwsException("ResourceLimitExceeded", 400, message);
  }

  /** Returns a NamespaceAlreadyExists naming the namespace and the request that created it. */
  static AwsException namespaceAlreadyExists(Namespace existing) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("NamespaceId", existing.id());
    if (existing.creatorRequestId() != null) {
      members.put("CreatorRequestId", existing.creatorRequestId());
    }
    return AwsException.withMembers(
        "NamespaceAlreadyExists",
        400,
        "Namespace " + existing.name() + " already exists: " + existing.id(),
        members);
  }

  /** Returns a ServiceAlreadyExists naming the service and the request that created it. */
  static AwsException serviceAlreadyExists(CloudMapService existing) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("ServiceId", existing.id());
    members.put("ServiceArn", existing.arn());
    if (existing.creatorRequestId() != null) {
      members.put("CreatorRequestId", existing.creatorRequestId());
    }
    return AwsException.withMembers(
        "ServiceAlreadyExists",
        400,
        "Service " + existing.name() + " already exists: " + existing.id(),
        members);
  }

  /** Returns a DuplicateRequest naming the operation the CreatorRequestId already started. */
  static AwsException duplicateRequest(String operationId) {
    return AwsException.withMembers(
        "DuplicateRequest",
        400,
        "The CreatorRequestId was already used by operation "
            + operationId
            + " with other parameters.",
        Map.of("DuplicateOperationId", operationId));
  }
}
