package dev.berth.server.elb;

import dev.berth.api.AwsException;

/** The errors of the ELBv2 API, by the codes and statuses of its published model. */
final class ElbErrors {
  private ElbErrors() {}

  static AwsException validation(String message) {
    return new AwsException("ValidationError", 400, message);
  }

  static AwsException loadBalancerNotFound() {
    return new AwsException("LoadBalancerNotFound", 400, "One or more load balancers not found");
  }

  static AwsException targetGroupNotFound() {
    return new AwsException("TargetGroupNotFound", 400, "One or more target groups not found");
  }

  static AwsException listenerNotFound() {
    return new AwsException("ListenerNotFound", 400, "One or more listeners not found");
  }

  static AwsException ruleNotFound() {
    return new AwsException("RuleNotFound", 400, "One or more rules not found");
  }

  static AwsException duplicateLoadBalancerName(String name) {
    return new AwsException(
        "DuplicateLoadBalancerName",
        400,
        "A load balancer with the same name '" + name + "' exists, but with different settings");
  }

  static AwsException duplicateTargetGroupName(String name) {
    return new AwsException(
        "DuplicateTargetGroupName",
        400,
        "A target group with the same name '" + name + "' exists, but with different settings");
  }

  static AwsException duplicateListener() {
    return new AwsException(
        "DuplicateListener", 400, "A listener already exists on this port for this load balancer");
  }

  static AwsException priorityInUse(int priority) {
    return new AwsException(
        "PriorityInUse", 400, "Priority '" + priority + "' is currently in use");
  }

  static AwsException resourceInUse(String message) {
    return new AwsException("ResourceInUse", 400, message);
  }

  static AwsException invalidConfiguration(String message) {
    return new AwsException("InvalidConfigurationRequest", 400, message);
  }

  static AwsException invalidTarget(String message) {
    return new AwsException("InvalidTarget", 400, message);
  }

  static AwsException unsupportedProtocol(String protocol) {
    return new AwsException(
        "UnsupportedProtocol",
        400,
        "Protocol '" + protocol + "' is not supported: Berth's load balancer speaks HTTP");
  }

  static AwsException invalidAction(String message) {
    return new AwsException("InvalidLoadBalancerAction", 400, message);
  }

  static AwsException operationNotPermitted(String message) {
    return new AwsException("OperationNotPermitted", 400, message);
  }

  static AwsException associationLimit(String targetGroupArn) {
    return new AwsException(
        "TargetGroupAssociationLimit",
        400,
        "The following target groups cannot be associated with more than one load balancer: "
            + targetGroupArn);
  }

  static AwsException tooMany(String code, String message) {
    return new AwsException(code, 400, message);
  }
}
