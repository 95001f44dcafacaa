package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import java.util.ArrayList;
import java.util.List;

/**
 * One of ECS's task placement strategies: binpack on cpu or memory, spread on instanceId (host) or
 * an {@code attribute:NAME}, or random. A request's strategies apply in order, each breaking the
 * ties the ones before it leave.
 */
public record PlacementStrategy(String type, String field) {
  /** The most strategies ECS takes in one request. */
  public static final int MAX = 5;

  /** The strategy RunTask uses when the request names none. */
  public static final List<PlacementStrategy> RUN_TASK_DEFAULT =
      List.of(new PlacementStrategy("random", null));

  /** Creates a strategy; the field is normalized (host is instanceId, case as ECS accepts it). */
  public PlacementStrategy {
    requireNonNull(type);
  }

  /** Returns true for binpack. */
  public boolean binpack() {
    return type.equals("binpack");
  }

  /** Returns true for spread. */
  public boolean spread() {
    return type.equals("spread");
  }

  /** Returns true for spread on instanceId (or host). */
  public boolean spreadOnInstance() {
    return spread() && field.equals("instanceId");
  }

  /** Returns the attribute a spread strategy counts on, or null if it is not one. */
  public String spreadAttribute() {
    return spread() && field.startsWith("attribute:")
        ? field.substring("attribute:".length())
        : null;
  }

  /**
   * Returns the strategies of a request's {@code placementStrategy} list, checked as ECS checks
   * them; an absent or empty list is the default given.
   */
  public static List<PlacementStrategy> fromJson(JsonNode list, List<PlacementStrategy> fallback) {
    if (list == null || list.isNull() || list.isEmpty()) {
      return fallback;
    }
    if (list.size() > MAX) {
      throw invalid("The number of placement strategies must not exceed " + MAX + ".");
    }
    List<PlacementStrategy> strategies = new ArrayList<>();
    for (JsonNode node : list) {
      strategies.add(of(node.path("type").asText(null), node.path("field").asText(null)));
    }
    return List.copyOf(strategies);
  }

  /**
   * Returns the strategies of a request's or a service's placement strategies, checked as ECS
   * checks them; an absent or empty list is the default given.
   */
  public static List<PlacementStrategy> fromShapes(
      List<dev.berth.server.ecs.shape.PlacementStrategy> list, List<PlacementStrategy> fallback) {
    if (list == null || list.isEmpty()) {
      return fallback;
    }
    if (list.size() > MAX) {
      throw invalid("The number of placement strategies must not exceed " + MAX + ".");
    }
    List<PlacementStrategy> strategies = new ArrayList<>();
    for (var strategy : list) {
      strategies.add(of(strategy.type(), strategy.field()));
    }
    return List.copyOf(strategies);
  }

  /** Returns a checked strategy from its type and field. */
  public static PlacementStrategy of(String type, String field) {
    if (type == null) {
      throw invalid("Placement strategy type must be one of random, spread, binpack.");
    }
    switch (type) {
      case "random" -> {
        return new PlacementStrategy(type, null);
      }
      case "binpack" -> {
        String resource = field == null ? null : field.toLowerCase(java.util.Locale.ROOT);
        if (!"cpu".equals(resource) && !"memory".equals(resource)) {
          throw invalid(
              "Invalid field for binpack placement strategy: "
                  + field
                  + ". Valid values are cpu and memory.");
        }
        return new PlacementStrategy(type, resource);
      }
      case "spread" -> {
        if (field == null || field.isBlank()) {
          throw invalid("The spread placement strategy requires a field.");
        }
        if (field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host")) {
          return new PlacementStrategy(type, "instanceId");
        }
        if (field.startsWith("attribute:") && field.length() > "attribute:".length()) {
          return new PlacementStrategy(type, field);
        }
        throw invalid(
            "Invalid field for spread placement strategy: "
                + field
                + ". Valid values are instanceId, host or attribute:NAME.");
      }
      default ->
          throw invalid(
              "Invalid placement strategy type: "
                  + type
                  + ". Valid values are random, spread, binpack.");
    }
  }

  private static AwsException invalid(String message) {
    return new AwsException("InvalidParameterException", 400, message);
  }
}
