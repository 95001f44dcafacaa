package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.StateRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CreateLoadBalancer, DescribeLoadBalancers and DeleteLoadBalancer. */
final class LoadBalancerOperations {
  private static final int MAX_LOAD_BALANCERS = 50;

  private final ElbState state;
  private final Clock clock;

  LoadBalancerOperations(ElbState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  void register(Map<String, ElbOperation> operations) {
    operations.put("CreateLoadBalancer", this::create);
    operations.put("DescribeLoadBalancers", this::describe);
    operations.put("DeleteLoadBalancer", this::delete);
  }

  private CompletableFuture<JsonNode> create(ObjectNode input, RequestContext context) {
    String name = Json.text(input, "Name");
    ElbNames.checkName("Load balancer", name);
    String type = input.path("Type").asText("application");
    if (!type.equals("application")) {
      throw ElbErrors.invalidConfiguration(
          "Berth supports load balancers of type 'application' only, not '" + type + "'");
    }
    String scheme = input.path("Scheme").asText("internet-facing");
    String ipAddressType = input.path("IpAddressType").asText("ipv4");
    List<String> subnets = strings(input.get("Subnets"));
    input.path("SubnetMappings").forEach(mapping -> subnets.add(mapping.path("SubnetId").asText()));
    List<String> securityGroups = strings(input.get("SecurityGroups"));
    List<Tag> tags = tags(input.get("Tags"));
    return state.submit(
        () -> {
          LoadBalancer existing = byName(name, context);
          if (existing != null) {
            if (existing.scheme().equals(scheme)) {
              return CommandResult.of(output(existing, context));
            }
            throw ElbErrors.duplicateLoadBalancerName(name);
          }
          long count =
              state.loadBalancers().stream()
                  .filter(lb -> ElbNames.visibleTo(lb.arn(), context))
                  .count();
          if (count >= MAX_LOAD_BALANCERS) {
            throw ElbErrors.tooMany(
                "TooManyLoadBalancers",
                "The quota of " + MAX_LOAD_BALANCERS + " load balancers is reached");
          }
          LoadBalancer lb =
              new LoadBalancer(
                  ElbNames.loadBalancerArn(context, name),
                  name,
                  scheme,
                  ipAddressType,
                  subnets,
                  securityGroups,
                  clock.millis(),
                  tags);
          return CommandResult.of(ElbState.put(lb), output(lb, context));
        });
  }

  private JsonNode output(LoadBalancer lb, RequestContext context) {
    ObjectNode output = Json.object();
    output.putArray("LoadBalancers").add(ElbJson.loadBalancer(lb, dnsName(), context.region()));
    return output;
  }

  private String dnsName() {
    String address = state.plane().settings().bindAddress();
    return address.equals("0.0.0.0") || address.equals("::") ? "localhost" : address;
  }

  private LoadBalancer byName(String name, RequestContext context) {
    for (LoadBalancer lb : state.loadBalancers()) {
      if (lb.name().equals(name) && ElbNames.visibleTo(lb.arn(), context)) {
        return lb;
      }
    }
    return null;
  }

  private CompletableFuture<JsonNode> describe(ObjectNode input, RequestContext context) {
    List<String> arns = strings(input.get("LoadBalancerArns"));
    List<String> names = strings(input.get("Names"));
    if (!arns.isEmpty() && !names.isEmpty()) {
      throw ElbErrors.validation(
          "Load balancer names and load balancer ARNs cannot be specified at the same time");
    }
    List<LoadBalancer> found = new ArrayList<>();
    if (!arns.isEmpty()) {
      for (String arn : arns) {
        LoadBalancer lb = state.loadBalancer(arn);
        if (lb == null || !ElbNames.visibleTo(arn, context)) {
          throw ElbErrors.loadBalancerNotFound();
        }
        found.add(lb);
      }
    } else if (!names.isEmpty()) {
      for (String name : names) {
        LoadBalancer lb = byName(name, context);
        if (lb == null) {
          throw ElbErrors.loadBalancerNotFound();
        }
        found.add(lb);
      }
    } else {
      state.loadBalancers().stream()
          .filter(lb -> ElbNames.visibleTo(lb.arn(), context))
          .sorted(Comparator.comparing(LoadBalancer::name))
          .forEach(found::add);
    }
    ObjectNode output = Json.object();
    ArrayNode list = output.putArray("LoadBalancers");
    for (LoadBalancer lb : Paging.page(found, input, output)) {
      list.add(ElbJson.loadBalancer(lb, dnsName(), context.region()));
    }
    return CompletableFuture.completedFuture(output);
  }

  private CompletableFuture<JsonNode> delete(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "LoadBalancerArn");
    return state.submit(
        () -> {
          if (state.loadBalancer(arn) == null || !ElbNames.visibleTo(arn, context)) {
            // ELB answers success for a load balancer that is already gone.
            return CommandResult.of(Json.object());
          }
          List<StateRecord> records = new ArrayList<>();
          for (Listener listener : state.listeners()) {
            if (listener.loadBalancerArn().equals(arn)) {
              for (ListenerRule rule : state.rules()) {
                if (rule.listenerArn().equals(listener.arn())) {
                  records.add(new DeleteRecord(ElbState.RULE, rule.arn()));
                }
              }
              records.add(new DeleteRecord(ElbState.LISTENER, listener.arn()));
            }
          }
          records.add(new DeleteRecord(ElbState.LOAD_BALANCER, arn));
          return new CommandResult<>(records, (JsonNode) Json.object());
        });
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> values.add(value.asText()));
    }
    return values;
  }

  static List<Tag> tags(JsonNode array) {
    List<Tag> tags = new ArrayList<>();
    if (array != null) {
      array.forEach(
          tag -> tags.add(new Tag(tag.path("Key").asText(), tag.path("Value").asText(""))));
    }
    return tags;
  }
}
