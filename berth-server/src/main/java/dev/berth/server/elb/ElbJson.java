package dev.berth.server.elb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.util.List;
import java.util.Map;

/** Shapes stored ELB entities into the output structures of the ELBv2 model. */
final class ElbJson {
  private ElbJson() {}

  static ObjectNode loadBalancer(LoadBalancer lb, String dnsName, String region) {
    ObjectNode node = Json.object();
    node.put("LoadBalancerArn", lb.arn());
    node.put("DNSName", dnsName);
    node.set("CreatedTime", Json.timestamp(lb.createdAt()));
    node.put("LoadBalancerName", lb.name());
    node.put("Scheme", lb.scheme());
    node.put("VpcId", "vpc-berth");
    node.putObject("State").put("Code", "active");
    node.put("Type", "application");
    ArrayNode zones = node.putArray("AvailabilityZones");
    List<String> subnets = lb.subnets().isEmpty() ? List.of("subnet-berth") : lb.subnets();
    for (int i = 0; i < subnets.size(); i++) {
      zones
          .addObject()
          .put("ZoneName", region + (char) ('a' + Math.min(i, 25)))
          .put("SubnetId", subnets.get(i));
    }
    ArrayNode groups = node.putArray("SecurityGroups");
    lb.securityGroups().forEach(groups::add);
    node.put("IpAddressType", lb.ipAddressType());
    return node;
  }

  static ObjectNode targetGroup(TargetGroup group, List<String> loadBalancerArns) {
    ObjectNode node = Json.object();
    TargetGroup.HealthCheckConfig check = group.healthCheck();
    node.put("TargetGroupArn", group.arn());
    node.put("TargetGroupName", group.name());
    node.put("Protocol", group.protocol());
    node.put("Port", group.port());
    if (group.vpcId() != null) {
      node.put("VpcId", group.vpcId());
    }
    node.put("HealthCheckProtocol", check.protocol());
    node.put("HealthCheckPort", check.port());
    node.put("HealthCheckEnabled", true);
    node.put("HealthCheckIntervalSeconds", check.intervalSeconds());
    node.put("HealthCheckTimeoutSeconds", check.timeoutSeconds());
    node.put("HealthyThresholdCount", check.healthyThreshold());
    node.put("UnhealthyThresholdCount", check.unhealthyThreshold());
    node.put("HealthCheckPath", check.path());
    node.putObject("Matcher").put("HttpCode", check.matcher());
    ArrayNode lbs = node.putArray("LoadBalancerArns");
    loadBalancerArns.forEach(lbs::add);
    node.put("TargetType", group.targetType());
    node.put("ProtocolVersion", "HTTP1");
    node.put("IpAddressType", "ipv4");
    return node;
  }

  static ObjectNode listener(Listener listener) {
    ObjectNode node = Json.object();
    node.put("ListenerArn", listener.arn());
    node.put("LoadBalancerArn", listener.loadBalancerArn());
    node.put("Port", listener.port());
    node.put("Protocol", listener.protocol());
    node.set("DefaultActions", actions(listener.defaultActions()));
    return node;
  }

  static ObjectNode rule(ListenerRule rule) {
    ObjectNode node = Json.object();
    node.put("RuleArn", rule.arn());
    node.put("Priority", rule.isDefault() ? "default" : Integer.toString(rule.priority()));
    ArrayNode conditions = node.putArray("Conditions");
    for (ListenerRule.Condition condition : rule.conditions()) {
      ObjectNode out = conditions.addObject();
      out.put("Field", condition.field());
      ArrayNode values = out.putArray("Values");
      condition.values().forEach(values::add);
      String config =
          condition.field().equals("host-header") ? "HostHeaderConfig" : "PathPatternConfig";
      ArrayNode configValues = out.putObject(config).putArray("Values");
      condition.values().forEach(configValues::add);
    }
    node.set("Actions", actions(rule.actions()));
    node.put("IsDefault", rule.isDefault());
    return node;
  }

  static ArrayNode actions(List<ElbAction> actions) {
    ArrayNode array = Json.array();
    for (ElbAction action : actions) {
      ObjectNode node = array.addObject();
      node.put("Type", action.type());
      if (action.order() != null) {
        node.put("Order", action.order());
      }
      if (ElbAction.FIXED_RESPONSE.equals(action.type())) {
        ObjectNode fixed = node.putObject("FixedResponseConfig");
        fixed.put("StatusCode", action.fixedStatus());
        if (action.fixedContentType() != null) {
          fixed.put("ContentType", action.fixedContentType());
        }
        if (action.fixedBody() != null) {
          fixed.put("MessageBody", action.fixedBody());
        }
        continue;
      }
      if (action.targetGroups().size() == 1) {
        node.put("TargetGroupArn", action.targetGroups().get(0).arn());
      }
      ObjectNode forward = node.putObject("ForwardConfig");
      ArrayNode groups = forward.putArray("TargetGroups");
      for (ElbAction.WeightedTargetGroup group : action.targetGroups()) {
        groups.addObject().put("TargetGroupArn", group.arn()).put("Weight", group.weight());
      }
      forward.putObject("TargetGroupStickinessConfig").put("Enabled", false);
    }
    return array;
  }

  static ArrayNode attributes(Map<String, String> attributes) {
    ArrayNode array = Json.array();
    attributes.forEach((key, value) -> array.addObject().put("Key", key).put("Value", value));
    return array;
  }
}
