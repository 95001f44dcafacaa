package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the Actions and Conditions of listeners and rules: Berth honours one {@code
 * forward} (to one target group, or several by weight) or {@code fixed-response} action, and {@code
 * path-pattern} and {@code host-header} conditions.
 */
final class ActionRules {
  private static final int MAX_CONDITION_VALUES = 5;

  private ActionRules() {}

  /** Returns the actions of the input, checked against the state and the load balancer. */
  static List<ElbAction> actions(
      JsonNode input, ElbState state, String loadBalancerArn, RequestContext context) {
    if (input == null || input.isEmpty()) {
      throw ElbErrors.validation("At least one action must be specified");
    }
    if (input.size() > 1) {
      throw ElbErrors.invalidAction(
          "Berth supports one action per listener or rule (forward or fixed-response)");
    }
    List<ElbAction> actions = new ArrayList<>();
    for (JsonNode action : input) {
      String type = action.path("Type").asText();
      Integer order = action.has("Order") ? action.get("Order").asInt() : null;
      switch (type) {
        case ElbAction.FORWARD ->
            actions.add(forward(action, order, state, loadBalancerArn, context));
        case ElbAction.FIXED_RESPONSE -> {
          JsonNode fixed = action.get("FixedResponseConfig");
          if (fixed == null) {
            throw ElbErrors.validation(
                "A fixed response config must be specified for a fixed-response action");
          }
          String contentType = fixed.has("ContentType") ? fixed.get("ContentType").asText() : null;
          if (contentType != null
              && !List.of(
                      "text/plain",
                      "text/css",
                      "text/html",
                      "application/javascript",
                      "application/json")
                  .contains(contentType)) {
            throw ElbErrors.validation("Content type '" + contentType + "' is not valid");
          }
          actions.add(
              new ElbAction(
                  type,
                  order,
                  List.of(),
                  fixed.path("StatusCode").asText(),
                  contentType,
                  fixed.has("MessageBody") ? fixed.get("MessageBody").asText() : null));
        }
        default ->
            throw ElbErrors.invalidAction(
                "Berth does not support actions of type '"
                    + type
                    + "'; use forward or fixed-response");
      }
    }
    return actions;
  }

  private static ElbAction forward(
      JsonNode action,
      Integer order,
      ElbState state,
      String loadBalancerArn,
      RequestContext context) {
    List<ElbAction.WeightedTargetGroup> groups = new ArrayList<>();
    String single = action.has("TargetGroupArn") ? action.get("TargetGroupArn").asText() : null;
    JsonNode tuples = action.path("ForwardConfig").path("TargetGroups");
    if (single != null && tuples.size() > 0) {
      boolean same =
          tuples.size() == 1 && single.equals(tuples.get(0).path("TargetGroupArn").asText());
      if (!same) {
        throw ElbErrors.validation(
            "You cannot specify both a target group ARN and a forward config with other target groups");
      }
    }
    if (tuples.size() > 0) {
      for (JsonNode tuple : tuples) {
        int weight = tuple.path("Weight").asInt(1);
        if (weight < 0 || weight > 999) {
          throw ElbErrors.validation("Target group weight must be between 0 and 999");
        }
        groups.add(
            new ElbAction.WeightedTargetGroup(tuple.path("TargetGroupArn").asText(), weight));
      }
    } else if (single != null) {
      groups.add(new ElbAction.WeightedTargetGroup(single, 1));
    } else {
      throw ElbErrors.validation("A target group ARN must be specified for a forward action");
    }
    for (ElbAction.WeightedTargetGroup group : groups) {
      if (state.targetGroup(group.arn()) == null || !ElbNames.visibleTo(group.arn(), context)) {
        throw ElbErrors.targetGroupNotFound();
      }
      for (String other : state.loadBalancersOf(group.arn())) {
        if (!other.equals(loadBalancerArn)) {
          throw ElbErrors.associationLimit(group.arn());
        }
      }
    }
    return new ElbAction(ElbAction.FORWARD, order, groups, null, null, null);
  }

  /** Returns the conditions of a rule's input, checked. */
  static List<ListenerRule.Condition> conditions(JsonNode input) {
    if (input == null || input.isEmpty()) {
      throw ElbErrors.validation("At least one condition must be specified");
    }
    List<ListenerRule.Condition> conditions = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    int total = 0;
    for (JsonNode condition : input) {
      String field = condition.path("Field").asText();
      String config =
          switch (field) {
            case "path-pattern" -> "PathPatternConfig";
            case "host-header" -> "HostHeaderConfig";
            default ->
                throw ElbErrors.validation(
                    "Condition field '"
                        + field
                        + "' is not supported by Berth; use path-pattern or host-header");
          };
      if (fields.contains(field)) {
        throw ElbErrors.validation("A rule can only have one '" + field + "' condition");
      }
      fields.add(field);
      List<String> values = LoadBalancerOperations.strings(condition.get("Values"));
      List<String> configured =
          LoadBalancerOperations.strings(condition.path(config).get("Values"));
      if (!values.isEmpty() && !configured.isEmpty()) {
        throw ElbErrors.validation(
            "You cannot specify both 'Values' and '" + config + "' in a '" + field + "' condition");
      }
      if (condition.path(config).has("RegexValues") || condition.has("RegexValues")) {
        throw ElbErrors.validation("Berth does not support regular expression conditions");
      }
      List<String> chosen = values.isEmpty() ? configured : values;
      if (chosen.isEmpty()) {
        throw ElbErrors.validation("A '" + field + "' condition must have at least one value");
      }
      for (String value : chosen) {
        if (value.isEmpty() || value.length() > 128) {
          throw ElbErrors.validation(
              "Condition value '" + value + "' must be between 1 and 128 characters long");
        }
      }
      total += chosen.size();
      conditions.add(new ListenerRule.Condition(field, chosen));
    }
    if (total > MAX_CONDITION_VALUES) {
      throw ElbErrors.tooMany(
          "ValidationError",
          "A rule can have at most " + MAX_CONDITION_VALUES + " condition values");
    }
    return conditions;
  }
}
