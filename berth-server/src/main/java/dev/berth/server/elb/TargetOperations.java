package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.proxy.TargetAddress;
import dev.berth.server.proxy.TargetHealth;
import dev.berth.server.statemachine.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * RegisterTargets, DeregisterTargets and DescribeTargetHealth, and the same for an ECS service
 * controller through {@link TargetGroups}.
 */
final class TargetOperations implements TargetGroups {
  private static final int MAX_TARGETS = 1000;
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private final ElbState state;
  private final InstanceAddresses instances;

  /** Targets deregistered and maybe still draining, by group and address, so health names them. */
  private final Map<String, Map<TargetAddress, TargetGroup.RegisteredTarget>> deregistered =
      new ConcurrentHashMap<>();

  TargetOperations(ElbState state, InstanceAddresses instances) {
    this.state = state;
    this.instances = instances;
  }

  void register(Map<String, ElbOperation> operations) {
    operations.put("RegisterTargets", this::registerTargets);
    operations.put("DeregisterTargets", this::deregisterTargets);
    operations.put("DescribeTargetHealth", this::describeTargetHealth);
  }

  private TargetGroup existing(String arn, RequestContext context) {
    TargetGroup group = state.targetGroup(arn);
    if (group == null || !ElbNames.visibleTo(arn, context)) {
      throw ElbErrors.targetGroupNotFound();
    }
    return group;
  }

  private static List<TargetGroup.RegisteredTarget> targets(JsonNode input, TargetGroup group) {
    List<TargetGroup.RegisteredTarget> targets = new ArrayList<>();
    if (input != null) {
      for (JsonNode target : input) {
        targets.add(
            new TargetGroup.RegisteredTarget(
                target.path("Id").asText(),
                target.path("Port").asInt(group.port()),
                target.has("AvailabilityZone") ? target.get("AvailabilityZone").asText() : null));
      }
    }
    return targets;
  }

  private CompletableFuture<JsonNode> registerTargets(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "TargetGroupArn");
    return state.submit(() -> registerCommand(existing(arn, context), input.get("Targets")));
  }

  private CommandResult<JsonNode> registerCommand(TargetGroup group, JsonNode input) {
    List<TargetGroup.RegisteredTarget> wanted = targets(input, group);
    String region = Arn.parse(group.arn()).region();
    for (TargetGroup.RegisteredTarget target : wanted) {
      if (group.targetType().equals("ip")) {
        if (!IPV4.matcher(target.id()).matches() && !target.id().contains(":")) {
          throw ElbErrors.invalidTarget(
              "The IP address '" + target.id() + "' is not a valid IPv4 address");
        }
      } else if (!target.id().startsWith("i-")
          || instances.addressOf(region, target.id()) == null) {
        throw ElbErrors.invalidTarget(
            "The following targets are not valid instances: '" + target.id() + "'");
      }
    }
    List<TargetGroup.RegisteredTarget> next = new ArrayList<>(group.targets());
    for (TargetGroup.RegisteredTarget target : wanted) {
      if (next.stream().noneMatch(t -> t.id().equals(target.id()) && t.port() == target.port())) {
        next.add(target);
      }
    }
    if (next.size() > MAX_TARGETS) {
      throw ElbErrors.tooMany(
          "TooManyTargets", "A target group can have at most " + MAX_TARGETS + " targets");
    }
    if (next.size() == group.targets().size()) {
      return CommandResult.of(Json.object());
    }
    return CommandResult.of(ElbState.put(group.withTargets(next)), Json.object());
  }

  private CompletableFuture<JsonNode> deregisterTargets(ObjectNode input, RequestContext context) {
    String arn = Json.text(input, "TargetGroupArn");
    return state.submit(
        () -> deregisterCommand(existing(arn, context), input.get("Targets"), true));
  }

  private CommandResult<JsonNode> deregisterCommand(
      TargetGroup group, JsonNode input, boolean strict) {
    List<TargetGroup.RegisteredTarget> leaving = targets(input, group);
    List<TargetGroup.RegisteredTarget> next = new ArrayList<>(group.targets());
    for (TargetGroup.RegisteredTarget target : leaving) {
      boolean removed = next.removeIf(t -> t.id().equals(target.id()) && t.port() == target.port());
      if (!removed && strict) {
        throw ElbErrors.invalidTarget(
            "The following targets are not registered in target group '"
                + group.arn()
                + "': '"
                + target.id()
                + ":"
                + target.port()
                + "'");
      }
      if (removed) {
        TargetAddress address = state.addressOf(group, target);
        if (address != null) {
          deregistered
              .computeIfAbsent(group.arn(), key -> new ConcurrentHashMap<>())
              .put(address, target);
        }
      }
    }
    if (next.size() == group.targets().size()) {
      return CommandResult.of(Json.object());
    }
    return CommandResult.of(ElbState.put(group.withTargets(next)), Json.object());
  }

  private CompletableFuture<JsonNode> describeTargetHealth(
      ObjectNode input, RequestContext context) {
    TargetGroup group = existing(Json.text(input, "TargetGroupArn"), context);
    Map<TargetAddress, TargetHealth> live = state.plane().health(group.arn());
    Map<TargetGroup.RegisteredTarget, TargetHealth> report = new LinkedHashMap<>();
    if (input.has("Targets")) {
      for (TargetGroup.RegisteredTarget target : targets(input.get("Targets"), group)) {
        report.put(target, healthOf(group, target, live));
      }
    } else {
      for (TargetGroup.RegisteredTarget target : group.targets()) {
        report.put(target, healthOf(group, target, live));
      }
      Map<TargetAddress, TargetGroup.RegisteredTarget> gone =
          deregistered.getOrDefault(group.arn(), Map.of());
      live.forEach(
          (address, health) -> {
            TargetGroup.RegisteredTarget target = gone.get(address);
            if (target != null
                && health.state().equals("draining")
                && !report.containsKey(target)) {
              report.put(target, health);
            }
          });
    }
    ObjectNode output = Json.object();
    ArrayNode descriptions = output.putArray("TargetHealthDescriptions");
    report.forEach(
        (target, health) -> {
          ObjectNode description = descriptions.addObject();
          ObjectNode out = description.putObject("Target");
          out.put("Id", target.id());
          out.put("Port", target.port());
          if (target.availabilityZone() != null) {
            out.put("AvailabilityZone", target.availabilityZone());
          }
          String checkPort = group.healthCheck().port();
          description.put(
              "HealthCheckPort",
              checkPort.equals("traffic-port") ? Integer.toString(target.port()) : checkPort);
          ObjectNode healthNode = description.putObject("TargetHealth");
          healthNode.put("State", health.state());
          if (health.reason() != null) {
            healthNode.put("Reason", health.reason());
          }
          if (health.description() != null) {
            healthNode.put("Description", health.description());
          }
        });
    return CompletableFuture.completedFuture(output);
  }

  private TargetHealth healthOf(
      TargetGroup group,
      TargetGroup.RegisteredTarget target,
      Map<TargetAddress, TargetHealth> live) {
    boolean registered =
        group.targets().stream()
            .anyMatch(t -> t.id().equals(target.id()) && t.port() == target.port());
    TargetAddress address = state.addressOf(group, target);
    if (address == null) {
      return registered
          ? new TargetHealth("unavailable", "Target.InvalidState", "Target is not a known instance")
          : TargetHealth.notRegistered();
    }
    TargetHealth health = live.get(address);
    if (health != null) {
      return health;
    }
    return registered ? TargetHealth.notInUse() : TargetHealth.notRegistered();
  }

  private static RequestContext contextOf(String targetGroupArn) {
    Arn arn = Arn.parse(targetGroupArn);
    if (arn == null) {
      throw ElbErrors.targetGroupNotFound();
    }
    return new RequestContext("controller", arn.region(), arn.account(), "berth");
  }

  private static JsonNode single(String targetId, int port) {
    ArrayNode targets = Json.array();
    targets.addObject().put("Id", targetId).put("Port", port);
    return targets;
  }

  @Override
  public Summary describe(String targetGroupArn) {
    TargetGroup group = state.targetGroup(targetGroupArn);
    return group == null
        ? null
        : new Summary(group.targetType(), !state.loadBalancersOf(targetGroupArn).isEmpty());
  }

  @Override
  public CompletableFuture<Void> register(String targetGroupArn, String targetId, int port) {
    RequestContext context = contextOf(targetGroupArn);
    return state
        .submit(() -> registerCommand(existing(targetGroupArn, context), single(targetId, port)))
        .thenApply(ignored -> null);
  }

  @Override
  public CompletableFuture<Void> deregister(String targetGroupArn, String targetId, int port) {
    RequestContext context = contextOf(targetGroupArn);
    return state
        .submit(
            () -> {
              TargetGroup group = existing(targetGroupArn, context);
              CommandResult<JsonNode> result =
                  deregisterCommand(group, single(targetId, port), false);
              TargetAddress address =
                  state.addressOf(group, new TargetGroup.RegisteredTarget(targetId, port, null));
              return new CommandResult<>(result.records(), address);
            })
        .thenCompose(
            address ->
                address == null
                    ? CompletableFuture.completedFuture(null)
                    : state.plane().drained(targetGroupArn, address));
  }

  @Override
  public TargetHealth health(String targetGroupArn, String targetId, int port) {
    TargetGroup group = existing(targetGroupArn, contextOf(targetGroupArn));
    return healthOf(
        group,
        new TargetGroup.RegisteredTarget(targetId, port, null),
        state.plane().health(group.arn()));
  }

  @Override
  public List<String> groupsWith(String region, String targetId, int port) {
    List<String> groups = new ArrayList<>();
    for (TargetGroup group : state.targetGroups()) {
      if (!region.equals(Arn.parse(group.arn()).region())) {
        continue;
      }
      TargetGroup.RegisteredTarget target = new TargetGroup.RegisteredTarget(targetId, port, null);
      if (holds(group, target)) {
        groups.add(group.arn());
      } else if (draining(group, target)) {
        groups.add(group.arn());
      }
    }
    return groups;
  }

  private static boolean holds(TargetGroup group, TargetGroup.RegisteredTarget target) {
    for (TargetGroup.RegisteredTarget registered : group.targets()) {
      if (registered.port() == target.port() && registered.id().equals(target.id())) {
        return true;
      }
    }
    return false;
  }

  private boolean draining(TargetGroup group, TargetGroup.RegisteredTarget target) {
    Map<TargetAddress, TargetGroup.RegisteredTarget> gone = deregistered.get(group.arn());
    if (gone == null || gone.isEmpty()) {
      return false;
    }
    TargetAddress address = state.addressOf(group, target);
    TargetHealth health = address == null ? null : state.plane().health(group.arn()).get(address);
    return health != null && health.state().equals("draining");
  }
}
