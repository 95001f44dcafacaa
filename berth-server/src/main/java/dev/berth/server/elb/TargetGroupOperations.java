package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.proxy.StatusMatcher;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target
 * group attributes.
 */
final class TargetGroupOperations {
  private static final int MAX_TARGET_GROUPS = 3000;

  private final ElbState state;

  TargetGroupOperations(ElbState state) {
    this.state = state;
  }

  void register(Map<String, ElbOperation> operations) {
    operations.put("CreateTargetGroup", this::create);
    operations.put("DescribeTargetGroups", this::describe);
    operations.put("ModifyTargetGroup", this::modify);
    operations.put("DeleteTargetGroup", this::delete);
    operations.put("ModifyTargetGroupAttributes", this::modifyAttributes);
    operations.put("DescribeTargetGroupAttributes", this::describeAttributes);
  }

  private CompletableFuture<JsonNode> create(ObjectNode input, RequestContext context) {
    String name = Json.text(input, "Name");
    ElbNames.checkName("Target group", name);
    String targetType = input.path("TargetType").asText("instance");
    if (!targetType.equals("instance") && !targetType.equals("ip")) {
      throw ElbErrors.invalidConfiguration(
          "Berth supports target groups of type 'instance' and 'ip', not '" + targetType + "'");
    }
    if (!input.has("Protocol")) {
      throw ElbErrors.validation("A protocol must be specified");
    }
    if (!input.has("Port")) {
      throw ElbErrors.validation("A port must be specified");
    }
    String protocol = input.get("Protocol").asText();
    if (!protocol.equals("HTTP")) {
      throw ElbErrors.unsupportedProtocol(protocol);
    }
    if (input.has("ProtocolVersion") && !input.get("ProtocolVersion").asText().equals("HTTP1")) {
      throw ElbErrors.invalidConfiguration("Berth's target groups speak HTTP1 only");
    }
    if (input.has("HealthCheckEnabled") && !input.get("HealthCheckEnabled").asBoolean()) {
      throw ElbErrors.invalidConfiguration(
          "Health checks cannot be disabled for target groups with target type '"
              + targetType
              + "'");
    }
    TargetGroup.HealthCheckConfig check = healthCheck(TargetGroup.HealthCheckConfig.DEFAULT, input);
    TargetGroup group =
        new TargetGroup(
            ElbNames.targetGroupArn(context, name),
            name,
            protocol,
            input.get("Port").asInt(),
            Json.text(input, "VpcId"),
            targetType,
            check,
            Map.of(),
            List.of(),
            LoadBalancerOperations.tags(input.get("Tags")));
    return state.submit(
        () -> {
          for (TargetGroup existing : state.targetGroups()) {
            if (existing.name().equals(name) && ElbNames.visibleTo(existing.arn(), context)) {
              if (sameSettings(existing, group)) {
                return CommandResult.of(output(existing));
              }
              throw ElbErrors.duplicateTargetGroupName(name);
            }
          }
          if (state.targetGroups().size() >= MAX_TARGET_GROUPS) {
            throw ElbErrors.tooMany(
                "TooManyTargetGroups",
                "The quota of " + MAX_TARGET_GROUPS + " target groups is reached");
          }
          return CommandResult.of(ElbState.put(group), output(group));
        });
  }

  private static boolean sameSettings(TargetGroup a, TargetGroup b) {
    return a.protocol().equals(b.protocol())
        && a.port() == b.port()
        && a.targetType().equals(b.targetType())
        && Objects.equals(a.vpcId(), b.vpcId())
        && a.healthCheck().equals(b.healthCheck());
  }

  /** Returns the health check of the base changed by the input's HealthCheck members. */
  private static TargetGroup.HealthCheckConfig healthCheck(
      TargetGroup.HealthCheckConfig base, ObjectNode input) {
    String protocol = input.path("HealthCheckProtocol").asText(base.protocol());
    if (!protocol.equals("HTTP")) {
      throw ElbErrors.unsupportedProtocol(protocol);
    }
    String port = input.path("HealthCheckPort").asText(base.port());
    if (!port.equals("traffic-port")) {
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        number = 0;
      }
      if (number < 1 || number > 65535) {
        throw ElbErrors.validation(
            "Health check port '"
                + port
                + "' must be 'traffic-port' or a port between 1 and 65535");
      }
    }
    String path = input.path("HealthCheckPath").asText(base.path());
    if (!path.startsWith("/")) {
      throw ElbErrors.validation(
          "Health check path '" + path + "' must begin with a '/' character");
    }
    int interval = input.path("HealthCheckIntervalSeconds").asInt(base.intervalSeconds());
    int timeout = input.path("HealthCheckTimeoutSeconds").asInt(base.timeoutSeconds());
    if (timeout >= interval) {
      throw ElbErrors.validation("Health check timeout must be smaller than the interval");
    }
    String matcher = input.path("Matcher").path("HttpCode").asText(base.matcher());
    if (input.path("Matcher").has("GrpcCode")) {
      throw ElbErrors.invalidConfiguration("Berth's target groups speak HTTP1: no gRPC matcher");
    }
    try {
      StatusMatcher.parse(matcher);
    } catch (IllegalArgumentException e) {
      throw ElbErrors.validation(e.getMessage());
    }
    return new TargetGroup.HealthCheckConfig(
        protocol,
        port,
        path,
        interval,
        timeout,
        input.path("HealthyThresholdCount").asInt(base.healthyThreshold()),
        input.path("UnhealthyThresholdCount").asInt(base.unhealthyThreshold()),
        matcher);
  }

  private JsonNode output(TargetGroup group) {
    ObjectNode output = Json.object();
    output
        .putArray("TargetGroups")
        .add(ElbJson.targetGroup(group, state.loadBalancersOf(group.arn())));
    return output;
  }

  private CompletableFuture<JsonNode> describe(ObjectNode input, RequestContext context) {
    List<String> arns = LoadBalancerOperations.strings(input.get("TargetGroupArns"));
    List<String> names = LoadBalancerOperations.strings(input.get("Names"));
    String loadBalancerArn = Json.text(input, "LoadBalancerArn");
    int filters =
        (arns.isEmpty() ? 0 : 1) + (names.isEmpty() ? 0 : 1) + (loadBalancerArn == null ? 0 : 1);
    if (filters > 1) {
      throw ElbErrors.validation(
          "Only one of load balancer ARN, target group ARNs or names can be specified");
    }
    List<TargetGroup> found = new ArrayList<>();
    if (!arns.isEmpty()) {
      for (String arn : arns) {
        found.add(existing(arn, context));
      }
    } else if (!names.isEmpty()) {
      for (String name : names) {
        TargetGroup group =
            state.targetGroups().stream()
                .filter(g -> g.name().equals(name) && ElbNames.visibleTo(g.arn(), context))
                .findFirst()
                .orElseThrow(ElbErrors::targetGroupNotFound);
        found.add(group);
      }
    } else {
      if (loadBalancerArn != null
          && (state.loadBalancer(loadBalancerArn) == null
              || !ElbNames.visibleTo(loadBalancerArn, context))) {
        throw ElbErrors.loadBalancerNotFound();
      }
      state.targetGroups().stream()
          .filter(g -> ElbNames.visibleTo(g.arn(), context))
          .filter(
              g ->
                  loadBalancerArn == null
                      || state.loadBalancersOf(g.arn()).contains(loadBalancerArn))
          .sorted(Comparator.comparing(TargetGroup::name))
          .forEach(found::add);
    }
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("TargetGroups");
    for (TargetGroup group : Paging.page(found, input, output)) {
      list.add(ElbJson.targetGroup(group, state.loadBalancersOf(group.arn())));
    }
    return CompletableFuture.completedFuture(output);
  }

  private TargetGroup existing(String arn, RequestContext context) {
    TargetGroup group = state.targetGroup(arn);
    if (group == null || !ElbNames.visibleTo(arn, context)) {
      throw ElbErrors.targetGroupNotFound();
    }
    return group;
  }

  private CompletableFuture<JsonNode> modify(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "TargetGroupArn");
    if (input.has("HealthCheckEnabled") && !input.get("HealthCheckEnabled").asBoolean()) {
      throw ElbErrors.invalidConfiguration(
          "Health checks cannot be disabled for this target group");
    }
    return state.submit(
        () -> {
          TargetGroup group = existing(arn, context);
          TargetGroup next = group.withHealthCheck(healthCheck(group.healthCheck(), input));
          return CommandResult.of(ElbState.put(next), output(next));
        });
  }

  private CompletableFuture<JsonNode> delete(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "TargetGroupArn");
    return state.submit(
        () -> {
          if (state.targetGroup(arn) == null || !ElbNames.visibleTo(arn, context)) {
            // ELB answers success for a target group that is already gone.
            return CommandResult.of((JsonNode) Json.object());
          }
          if (!state.loadBalancersOf(arn).isEmpty()) {
            throw ElbErrors.resourceInUse(
                "Target group '" + arn + "' is currently in use by a listener or a rule");
          }
          return CommandResult.of(
              new DeleteRecord(ElbState.TARGET_GROUP, arn), (JsonNode) Json.object());
        });
  }

  private CompletableFuture<JsonNode> modifyAttributes(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "TargetGroupArn");
    Map<String, String> changes = new LinkedHashMap<>();
    input
        .path("Attributes")
        .forEach(
            attribute -> {
              if (!attribute.has("Key") || !attribute.has("Value")) {
                throw ElbErrors.validation("Each attribute needs a key and a value");
              }
              changes.put(attribute.get("Key").asText(), attribute.get("Value").asText());
            });
    return state.submit(
        () -> {
          TargetGroup group = existing(arn, context);
          TargetGroup next =
              group.withAttributes(TargetGroupAttributes.modify(group.attributes(), changes));
          ObjectNode output = Json.object();
          output.set("Attributes", ElbJson.attributes(next.effectiveAttributes()));
          return CommandResult.of(ElbState.put(next), (JsonNode) output);
        });
  }

  private CompletableFuture<JsonNode> describeAttributes(ObjectNode input, RequestContext context) {
    TargetGroup group = existing(Json.text(input, "TargetGroupArn"), context);
    ObjectNode output = Json.object();
    output.set("Attributes", ElbJson.attributes(group.effectiveAttributes()));
    return CompletableFuture.completedFuture(output);
  }
}
