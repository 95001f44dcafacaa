package dev.berth.server.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.ServiceSettings;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.scheduler.PlacementConstraint;
import dev.berth.server.scheduler.PlacementStrategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ECS's rules for the members of CreateService and UpdateService that the model alone does not
 * check: names, scheduling strategy and desired count, deployment configuration with its defaults,
 * placement, load balancers and service registries.
 */
final class ServiceRules {
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");

  private ServiceRules() {}

  /** Checks a service name. */
  static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw EcsErrors.invalidParameter(
          "Invalid service name. Up to 255 letters (uppercase and lowercase), numbers, underscores,"
              + " and hyphens are allowed.");
    }
    return name;
  }

  /** Returns the scheduling strategy, REPLICA unless DAEMON is asked. */
  static String schedulingStrategy(ObjectNode input) {
    String strategy = Json.text(input, "schedulingStrategy");
    return strategy == null ? ServiceSettings.REPLICA : strategy;
  }

  /**
   * Checks the desired count for the strategy; returns it (zero for DAEMON until instances count).
   */
  static int desiredCount(ObjectNode input, String strategy) {
    JsonNode count = input.get("desiredCount");
    if (ServiceSettings.DAEMON.equals(strategy)) {
      if (count != null && !count.isNull()) {
        throw EcsErrors.invalidParameter(
            "The daemon scheduling strategy does not support a desired count for services.");
      }
      return 0;
    }
    if (count == null || count.isNull()) {
      throw EcsErrors.invalidParameter(
          "The desiredCount parameter is required for services using the REPLICA scheduling"
              + " strategy.");
    }
    return checkDesiredCount(count.intValue());
  }

  /** Checks a desired count. */
  static int checkDesiredCount(int count) {
    if (count < 0) {
      throw EcsErrors.invalidParameter("desiredCount cannot be negative.");
    }
    return count;
  }

  /**
   * Returns the launch type of a CreateService, UpdateService or RunTask (EC2 unless EXTERNAL),
   * refusing what Berth does not run.
   */
  static String launchType(ObjectNode input) {
    String launchType = Json.text(input, "launchType");
    if (launchType != null && !input.path("capacityProviderStrategy").isEmpty()) {
      throw EcsErrors.invalidParameter(
          "Specifying both a launchType and capacityProviderStrategy is not supported. Remove one"
              + " and try again.");
    }
    if (launchType == null) {
      return "EC2";
    }
    if (!launchType.equals("EC2") && !launchType.equals("EXTERNAL")) {
      throw EcsErrors.unsupported(
          "Berth runs tasks on EC2 and EXTERNAL container instances only; launch type "
              + launchType
              + " is not supported.");
    }
    return launchType;
  }

  /** Refuses deployment controllers other than ECS's rolling one; returns the controller. */
  static JsonNode deploymentController(JsonNode controller) {
    String type = controller == null ? "ECS" : controller.path("type").asText("ECS");
    if (!type.equals("ECS")) {
      throw EcsErrors.unsupported(
          "Berth supports the ECS deployment controller only, not " + type + ".");
    }
    ObjectNode node = Json.object();
    node.put("type", "ECS");
    return node;
  }

  /**
   * Returns the deployment configuration with the changes applied and ECS's defaults filled in
   * (REPLICA: 100% minimum healthy, 200% maximum; DAEMON: 0% and 100%; circuit breaker off).
   */
  static ObjectNode deploymentConfiguration(JsonNode current, JsonNode changes, String strategy) {
    boolean daemon = ServiceSettings.DAEMON.equals(strategy);
    ObjectNode merged = Json.object();
    ObjectNode breaker = merged.putObject("deploymentCircuitBreaker");
    breaker.put("enable", false);
    breaker.put("rollback", false);
    merged.put("maximumPercent", daemon ? 100 : 200);
    merged.put("minimumHealthyPercent", daemon ? 0 : 100);
    for (JsonNode source : new JsonNode[] {current, changes}) {
      if (source == null || source.isNull()) {
        continue;
      }
      source.properties().forEach(member -> merged.set(member.getKey(), member.getValue()));
    }
    String deploymentStrategy = Json.text(merged, "strategy");
    if (deploymentStrategy != null && !deploymentStrategy.equals("ROLLING")) {
      throw EcsErrors.unsupported(
          "Berth supports the ROLLING deployment strategy only, not " + deploymentStrategy + ".");
    }
    if (merged.path("alarms").path("enable").asBoolean(false)) {
      throw EcsErrors.unsupported("Berth does not support CloudWatch alarms on deployments.");
    }
    int minimum = merged.path("minimumHealthyPercent").asInt();
    int maximum = merged.path("maximumPercent").asInt();
    if (minimum < 0 || minimum > 100) {
      throw EcsErrors.invalidParameter(
          "minimumHealthyPercent must be between 0 and 100, not " + minimum + ".");
    }
    if (daemon && maximum != 100) {
      throw EcsErrors.invalidParameter(
          "The maximumPercent of a service using the DAEMON scheduling strategy must be 100.");
    }
    if (maximum < 100) {
      throw EcsErrors.invalidParameter("maximumPercent must be at least 100, not " + maximum + ".");
    }
    return merged;
  }

  /** Checks placement constraints as ECS does, with the task definition's counted too. */
  static JsonNode placementConstraints(JsonNode constraints, TaskDefinition definition) {
    List<PlacementConstraint> parsed = PlacementConstraint.fromJson(constraints);
    int total = parsed.size() + definition.body().path("placementConstraints").size();
    if (total > PlacementConstraint.MAX) {
      throw EcsErrors.invalidParameter(
          "The number of placement constraints must not exceed " + PlacementConstraint.MAX + ".");
    }
    return constraints == null ? Json.array() : constraints;
  }

  /** Checks placement strategies; DAEMON services take none. */
  static JsonNode placementStrategy(JsonNode strategies, String strategy) {
    if (strategies != null && !strategies.isEmpty() && ServiceSettings.DAEMON.equals(strategy)) {
      throw EcsErrors.invalidParameter(
          "Placement strategies are not supported with the DAEMON scheduling strategy.");
    }
    PlacementStrategy.fromJson(strategies, List.of());
    return strategies == null ? Json.array() : strategies;
  }

  /**
   * Checks load balancers against the task definition: each names a target group (or a classic load
   * balancer) and a container and port the task definition maps.
   */
  static JsonNode loadBalancers(JsonNode loadBalancers, TaskDefinition definition) {
    if (loadBalancers == null || loadBalancers.isNull()) {
      return Json.array();
    }
    if (loadBalancers.size() > 5) {
      throw EcsErrors.invalidParameter("A service can have at most 5 load balancers.");
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode loadBalancer : loadBalancers) {
      String targetGroup = Json.text(loadBalancer, "targetGroupArn");
      String name = Json.text(loadBalancer, "loadBalancerName");
      if (targetGroup == null && name == null) {
        throw EcsErrors.invalidParameter(
            "A load balancer needs a targetGroupArn or a loadBalancerName.");
      }
      if (targetGroup != null) {
        Arn arn = Arn.parse(targetGroup);
        if (arn == null
            || !"elasticloadbalancing".equals(arn.service())
            || !"targetgroup".equals(arn.resourceType())) {
          throw EcsErrors.invalidParameter("Invalid target group ARN: " + targetGroup + ".");
        }
      }
      String container = Json.text(loadBalancer, "containerName");
      JsonNode port = loadBalancer.get("containerPort");
      if (container == null || port == null || port.isNull()) {
        throw EcsErrors.invalidParameter(
            "A load balancer needs a containerName and a containerPort.");
      }
      requireMappedPort(definition, container, port.intValue());
      if (!seen.add((targetGroup != null ? targetGroup : name) + "|" + container + "|" + port)) {
        throw EcsErrors.invalidParameter("A load balancer is given twice.");
      }
    }
    return loadBalancers;
  }

  /** Checks service registries: at most one, with a Cloud Map service ARN. */
  static JsonNode serviceRegistries(JsonNode registries, TaskDefinition definition) {
    if (registries == null || registries.isNull()) {
      return Json.array();
    }
    if (registries.size() > 1) {
      throw EcsErrors.invalidParameter("A service can have at most one service registry.");
    }
    for (JsonNode registry : registries) {
      String registryArn = Json.text(registry, "registryArn");
      Arn arn = registryArn == null ? null : Arn.parse(registryArn);
      if (arn == null || !"servicediscovery".equals(arn.service())) {
        throw EcsErrors.invalidParameter(
            "A service registry needs the registryArn of a Cloud Map service.");
      }
      String container = Json.text(registry, "containerName");
      JsonNode port = registry.get("containerPort");
      if (container != null && port != null && !port.isNull()) {
        requireMappedPort(definition, container, port.intValue());
      } else if (container != null || (port != null && !port.isNull())) {
        throw EcsErrors.invalidParameter(
            "A service registry names a containerName and a containerPort together, or neither.");
      }
    }
    return registries;
  }

  /**
   * Returns the ARN of the IAM role CreateService names: an ARN as given, a name (with its path,
   * e.g. {@code /ecs/web-role}) as a role of the request's account; null if none is given.
   */
  static String roleArn(RequestContext context, String role) {
    if (role == null || role.isEmpty()) {
      return null;
    }
    if (Arn.looksLikeArn(role)) {
      return role;
    }
    String path = role.startsWith("/") ? role.substring(1) : role;
    return "arn:aws:iam::" + context.accountId() + ":role/" + path;
  }

  /**
   * Returns the network configuration of a CreateService, UpdateService, RunTask or StartTask,
   * refusing, as ECS does, a task definition of network mode awsvpc without an awsvpcConfiguration.
   */
  static JsonNode networkConfiguration(JsonNode configuration, TaskDefinition definition) {
    boolean given = configuration != null && configuration.hasNonNull("awsvpcConfiguration");
    if (!given && "awsvpc".equals(definition.body().path("networkMode").asText())) {
      throw EcsErrors.invalidParameter(
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    return configuration;
  }

  /** Checks the health check grace period. */
  static Integer gracePeriod(JsonNode seconds) {
    if (seconds == null || seconds.isNull()) {
      return null;
    }
    if (seconds.intValue() < 0) {
      throw EcsErrors.invalidParameter("healthCheckGracePeriodSeconds cannot be negative.");
    }
    return seconds.intValue();
  }

  private static void requireMappedPort(TaskDefinition definition, String container, int port) {
    for (JsonNode candidate : definition.body().path("containerDefinitions")) {
      if (!container.equals(candidate.path("name").asText())) {
        continue;
      }
      for (JsonNode mapping : candidate.path("portMappings")) {
        if (mapping.path("containerPort").asInt(-1) == port) {
          return;
        }
      }
      throw EcsErrors.invalidParameter(
          "The container " + container + " did not have a container port " + port + " defined.");
    }
    throw EcsErrors.invalidParameter(
        "The container " + container + " does not exist in the task definition.");
  }
}
