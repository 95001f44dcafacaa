package dev.berth.server.elb;

import dev.berth.api.Arn;
import dev.berth.server.api.RequestContext;
import java.security.SecureRandom;
import java.util.HexFormat;

/** ELB's ARNs and the rules for load balancer and target group names. */
final class ElbNames {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ElbNames() {}

  /** Returns 16 random hex digits, as ELB's resource ids. */
  static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static String loadBalancerArn(RequestContext context, String name) {
    return arn(context, "loadbalancer/app/" + name + "/" + newId());
  }

  static String targetGroupArn(RequestContext context, String name) {
    return arn(context, "targetgroup/" + name + "/" + newId());
  }

  /** Returns a listener ARN under its load balancer: listener/app/NAME/LBID/ID. */
  static String listenerArn(String loadBalancerArn) {
    Arn lb = Arn.parse(loadBalancerArn);
    String path = lb.resource().substring("loadbalancer/".length());
    return new Arn(
            lb.partition(),
            lb.service(),
            lb.region(),
            lb.account(),
            "listener/" + path + "/" + newId())
        .toString();
  }

  /** Returns a rule ARN under its listener: listener-rule/app/NAME/LBID/LID/ID. */
  static String ruleArn(String listenerArn) {
    Arn listener = Arn.parse(listenerArn);
    String path = listener.resource().substring("listener/".length());
    return new Arn(
            listener.partition(),
            listener.service(),
            listener.region(),
            listener.account(),
            "listener-rule/" + path + "/" + newId())
        .toString();
  }

  private static String arn(RequestContext context, String resource) {
    return new Arn("aws", "elasticloadbalancing", context.region(), context.accountId(), resource)
        .toString();
  }

  /** Returns true if the ARN names a resource of the caller's region and account. */
  static boolean visibleTo(String arn, RequestContext context) {
    Arn parsed = Arn.parse(arn);
    return parsed != null
        && parsed.region().equals(context.region())
        && parsed.account().equals(context.accountId());
  }

  /** Checks a load balancer or target group name as ELB does. */
  static void checkName(String kind, String name) {
    if (name.isEmpty() || name.length() > 32) {
      throw ElbErrors.validation(
          kind + " name '" + name + "' must be between 1 and 32 characters long");
    }
    if (!name.matches("[a-zA-Z0-9-]+")) {
      throw ElbErrors.validation(
          kind
              + " name '"
              + name
              + "' can only contain characters that are alphanumeric"
              + " characters or hyphens(-)");
    }
    if (name.startsWith("-") || name.endsWith("-")) {
      throw ElbErrors.validation(kind + " name '" + name + "' cannot begin or end with '-'");
    }
    if (kind.equals("Load balancer") && name.startsWith("internal-")) {
      throw ElbErrors.validation("Load balancer name '" + name + "' cannot begin with 'internal-'");
    }
  }
}
