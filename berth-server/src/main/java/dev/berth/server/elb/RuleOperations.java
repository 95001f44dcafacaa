package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CreateRule, DescribeRules and DeleteRule: a listener's rules by priority. */
final class RuleOperations {
  private static final int MAX_RULES = 100;

  private final ElbState state;

  RuleOperations(ElbState state) {
    this.state = state;
  }

  void register(Map<String, ElbOperation> operations) {
    operations.put("CreateRule", this::create);
    operations.put("DescribeRules", this::describe);
    operations.put("DeleteRule", this::delete);
  }

  private CompletableFuture<JsonNode> create(ObjectNode input, RequestContext context) {
    String listenerArn = Json.text(input, "ListenerArn");
    int priority = input.get("Priority").asInt();
    List<ListenerRule.Condition> conditions = ActionRules.conditions(input.get("Conditions"));
    return state.submit(
        () -> {
          Listener listener = state.listener(listenerArn);
          if (listener == null || !ElbNames.visibleTo(listenerArn, context)) {
            throw ElbErrors.listenerNotFound();
          }
          List<ElbAction> actions =
              ActionRules.actions(input.get("Actions"), state, listener.loadBalancerArn(), context);
          int count = 0;
          for (ListenerRule rule : state.rules()) {
            if (rule.listenerArn().equals(listenerArn)) {
              if (rule.priority() == priority) {
                throw ElbErrors.priorityInUse(priority);
              }
              count++;
            }
          }
          if (count > MAX_RULES) {
            throw ElbErrors.tooMany(
                "TooManyRules", "A listener can have at most " + MAX_RULES + " rules");
          }
          ListenerRule rule =
              new ListenerRule(
                  ElbNames.ruleArn(listenerArn), listenerArn, priority, conditions, actions);
          ObjectNode output = Json.object();
          output.putArray("Rules").add(ElbJson.rule(rule));
          return CommandResult.of(ElbState.put(rule), (JsonNode) output);
        });
  }

  private CompletableFuture<JsonNode> describe(ObjectNode input, RequestContext context) {
    List<String> arns = LoadBalancerOperations.strings(input.get("RuleArns"));
    String listenerArn = Json.text(input, "ListenerArn");
    if (arns.isEmpty() && listenerArn == null) {
      throw ElbErrors.validation("You must specify either rule ARNs or a listener ARN");
    }
    List<ListenerRule> found = new ArrayList<>();
    if (!arns.isEmpty()) {
      for (String arn : arns) {
        ListenerRule rule = state.rule(arn);
        if (rule == null || !ElbNames.visibleTo(arn, context)) {
          throw ElbErrors.ruleNotFound();
        }
        found.add(rule);
      }
    } else {
      if (state.listener(listenerArn) == null || !ElbNames.visibleTo(listenerArn, context)) {
        throw ElbErrors.listenerNotFound();
      }
      state.rules().stream()
          .filter(rule -> rule.listenerArn().equals(listenerArn))
          // The default rule comes last, as ELB lists it.
          .sorted(
              Comparator.comparingInt(
                  rule -> rule.isDefault() ? Integer.MAX_VALUE : rule.priority()))
          .forEach(found::add);
    }
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("Rules");
    for (ListenerRule rule : Paging.page(found, input, output)) {
      list.add(ElbJson.rule(rule));
    }
    return CompletableFuture.completedFuture(output);
  }

  private CompletableFuture<JsonNode> delete(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "RuleArn");
    return state.submit(
        () -> {
          ListenerRule rule = state.rule(arn);
          if (rule == null || !ElbNames.visibleTo(arn, context)) {
            throw ElbErrors.ruleNotFound();
          }
          if (rule.isDefault()) {
            throw ElbErrors.operationNotPermitted("Default rule '" + arn + "' cannot be deleted");
          }
          return CommandResult.of(new DeleteRecord(ElbState.RULE, arn), (JsonNode) Json.object());
        });
  }
}
