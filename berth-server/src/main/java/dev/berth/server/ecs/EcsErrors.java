package dev.berth.server.ecs;

import dev.berth.api.AwsException;

/** Returns ECS's exceptions by their model names, with ECS's HTTP status codes. */
final class EcsErrors {
  private EcsErrors() {}

  /** Returns a ClientException: the request cannot be done as asked. */
  static AwsException client(String message) {
    return new AwsException("ClientException", 400, message);
  }

  /** Returns an InvalidParameterException: a parameter's value is not valid. */
  static AwsException invalidParameter(String message) {
    return new AwsException("InvalidParameterException", 400, message);
  }

  /** Returns a ClusterNotFoundException for a cluster that does not exist or is not ACTIVE. */
  static AwsException clusterNotFound() {
    return new AwsException("ClusterNotFoundException", 400, "Cluster not found.");
  }

  /** Returns a ResourceNotFoundException. */
  static AwsException resourceNotFound(String message) {
    return new AwsException("ResourceNotFoundException", 400, message);
  }

  /** Returns a TargetNotFoundException: an attribute's target does not exist. */
  static AwsException targetNotFound(String message) {
    return new AwsException("TargetNotFoundException", 400, message);
  }

  /** Returns an AttributeLimitExceededException. */
  static AwsException attributeLimitExceeded() {
    return new AwsException(
        "AttributeLimitExceededException",
        400,
        "You can apply up to "
            + AttributeRules.MAX_CUSTOM
            + " custom attributes for each resource.");
  }

  /** Returns an UnsupportedFeatureException with the message given. */
  static AwsException unsupported(String message) {
    return new AwsException("UnsupportedFeatureException", 400, message);
  }

  /** Returns an UnsupportedFeatureException naming the operation Berth does not do yet. */
  static AwsException unsupportedFeature(String operation) {
    return new AwsException(
        "UnsupportedFeatureException",
        400,
        "Berth does not support the ECS operation " + operation + " yet.");
  }

  /** Returns a ClusterContainsContainerInstancesException. */
  static AwsException clusterContainsContainerInstances() {
    return new AwsException(
        "ClusterContainsContainerInstancesException",
        400,
        "The Cluster cannot be deleted while Container Instances are active or draining.");
  }

  /** Returns a ClusterContainsServicesException. */
  static AwsException clusterContainsServices() {
    return new AwsException(
        "ClusterContainsServicesException",
        400,
        "The Cluster cannot be deleted while Services are active.");
  }

  /** Returns a ClusterContainsTasksException. */
  static AwsException clusterContainsTasks() {
    return new AwsException(
        "ClusterContainsTasksException",
        400,
        "The Cluster cannot be deleted while Tasks are active.");
  }
}
