package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreateListener, DescribeListeners and DeleteListener. A listener binds its port on the load
 * balancer's address of the server; its default actions are also its default rule.
 */
final class ListenerOperations {
  private static final int MAX_LISTENERS = 50;

  private final ElbState state;

  ListenerOperations(ElbState state) {
    this.state = state;
  }

  void register(Map<String, ElbOperation> operations) {
    operations.put("CreateListener", this::create);
    operations.put("DescribeListeners", this::describe);
    operations.put("DeleteListener", this::delete);
  }

  private CompletableFuture<JsonNode> create(ObjectNode input, RequestContext context) {
    String loadBalancerArn = Json.text(input, "LoadBalancerArn");
    String protocol = input.path("Protocol").asText("HTTP");
    if (!protocol.equals("HTTP")) {
      throw ElbErrors.unsupportedProtocol(protocol);
    }
    if (!input.has("Port")) {
      throw ElbErrors.validation("A listener port must be specified");
    }
    int port = input.get("Port").asInt();
    return state.submit(
        () -> {
          if (state.loadBalancer(loadBalancerArn) == null
              || !ElbNames.visibleTo(loadBalancerArn, context)) {
            throw ElbErrors.loadBalancerNotFound();
          }
          List<ElbAction> actions =
              ActionRules.actions(input.get("DefaultActions"), state, loadBalancerArn, context);
          int count = 0;
          for (Listener listener : state.listeners()) {
            if (listener.port() == port) {
              if (listener.loadBalancerArn().equals(loadBalancerArn)) {
                throw ElbErrors.duplicateListener();
              }
              throw ElbErrors.invalidConfiguration(
                  "Port "
                      + port
                      + " is already used by listener "
                      + listener.arn()
                      + ": Berth's load balancers share the host's ports");
            }
            count += listener.loadBalancerArn().equals(loadBalancerArn) ? 1 : 0;
          }
          if (count >= MAX_LISTENERS) {
            throw ElbErrors.tooMany(
                "TooManyListeners",
                "A load balancer can have at most " + MAX_LISTENERS + " listeners");
          }
          if (!state.plane().canBind(port)) {
            throw ElbErrors.invalidConfiguration(
                "Port "
                    + port
                    + " is in use on "
                    + state.plane().settings().bindAddress()
                    + ":"
                    + port
                    + ": choose another Port for the listener");
          }
          Listener listener =
              new Listener(
                  ElbNames.listenerArn(loadBalancerArn), loadBalancerArn, protocol, port, actions);
          ListenerRule defaultRule =
              new ListenerRule(
                  ElbNames.ruleArn(listener.arn()), listener.arn(), 0, List.of(), actions);
          ObjectNode output = Json.object();
          output.putArray("Listeners").add(ElbJson.listener(listener));
          return new CommandResult<>(
              List.of(ElbState.put(listener), ElbState.put(defaultRule)), (JsonNode) output);
        });
  }

  private CompletableFuture<JsonNode> describe(ObjectNode input, RequestContext context) {
    List<String> arns = LoadBalancerOperations.strings(input.get("ListenerArns"));
    String loadBalancerArn = Json.text(input, "LoadBalancerArn");
    if (arns.isEmpty() && loadBalancerArn == null) {
      throw ElbErrors.validation("You must specify either listener ARNs or a load balancer ARN");
    }
    if (!arns.isEmpty() && loadBalancerArn != null) {
      throw ElbErrors.validation(
          "Listener ARNs and a load balancer ARN cannot be specified at the same time");
    }
    List<Listener> found = new ArrayList<>();
    if (!arns.isEmpty()) {
      for (String arn : arns) {
        Listener listener = state.listener(arn);
        if (listener == null || !ElbNames.visibleTo(arn, context)) {
          throw ElbErrors.listenerNotFound();
        }
        found.add(listener);
      }
    } else {
      if (state.loadBalancer(loadBalancerArn) == null
          || !ElbNames.visibleTo(loadBalancerArn, context)) {
        throw ElbErrors.loadBalancerNotFound();
      }
      state.listeners().stream()
          .filter(listener -> listener.loadBalancerArn().equals(loadBalancerArn))
          .sorted(Comparator.comparingInt(Listener::port))
          .forEach(found::add);
    }
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("Listeners");
    for (Listener listener : Paging.page(found, input, output)) {
      list.add(ElbJson.listener(listener));
    }
    return CompletableFuture.completedFuture(output);
  }

  private CompletableFuture<JsonNode> delete(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "ListenerArn");
    return state.submit(
        () -> {
          if (state.listener(arn) == null || !ElbNames.visibleTo(arn, context)) {
            throw ElbErrors.listenerNotFound();
          }
          List<StateRecord> records = new ArrayList<>();
          for (ListenerRule rule : state.rules()) {
            if (rule.listenerArn().equals(arn)) {
              records.add(new DeleteRecord(ElbState.RULE, rule.arn()));
            }
          }
          records.add(new DeleteRecord(ElbState.LISTENER, arn));
          return new CommandResult<>(records, (JsonNode) Json.object());
        });
  }
}
