package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.server.scheduler.query.ClusterQuery;
import dev.berth.server.scheduler.query.InstanceView;
import java.util.ArrayList;
import java.util.List;

/**
 * One of ECS's task placement constraints: distinctInstance (each task of the group on its own
 * instance) or memberOf (only instances the cluster query expression matches). Constraints bind: an
 * instance that breaks one never receives the task.
 */
public record PlacementConstraint(String type, String expression, ClusterQuery query) {
  /** The most constraints ECS takes in one request. */
  public static final int MAX = 10;

  /** The failure reason of an instance a memberOf expression does not match. */
  public static final String MEMBER_OF_REASON = "MemberOf placement constraint unsatisfied.";

  /** The failure reason of an instance that already runs a task of the group. */
  public static final String DISTINCT_INSTANCE_REASON =
      "DistinctInstance placement constraint unsatisfied.";

  /** Creates a constraint; memberOf has its parsed query, distinctInstance none. */
  public PlacementConstraint {
    requireNonNull(type);
  }

  /** Returns true for distinctInstance. */
  public boolean distinctInstance() {
    return type.equals("distinctInstance");
  }

  /** Returns true if the instance satisfies a memberOf constraint (distinctInstance: always). */
  public boolean admits(InstanceView instance) {
    return query == null || query.matches(instance);
  }

  /**
   * Returns the constraints of a request's (or task definition's) {@code placementConstraints}
   * list, checked as ECS checks them.
   */
  public static List<PlacementConstraint> fromJson(JsonNode list) {
    if (list == null || list.isNull() || list.isEmpty()) {
      return List.of();
    }
    if (list.size() > MAX) {
      throw invalid("The number of placement constraints must not exceed " + MAX + ".");
    }
    List<PlacementConstraint> constraints = new ArrayList<>();
    for (JsonNode node : list) {
      constraints.add(of(node.path("type").asText(null), node.path("expression").asText(null)));
    }
    return List.copyOf(constraints);
  }

  /**
   * Returns the constraints of a request's or a service's placement constraints, checked as ECS
   * checks them; none for null.
   */
  public static List<PlacementConstraint> fromShapes(
      List<dev.berth.server.ecs.shape.PlacementConstraint> list) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    if (list.size() > MAX) {
      throw invalid("The number of placement constraints must not exceed " + MAX + ".");
    }
    List<PlacementConstraint> constraints = new ArrayList<>();
    for (var constraint : list) {
      constraints.add(of(constraint.type(), constraint.expression()));
    }
    return List.copyOf(constraints);
  }

  /** Returns a checked constraint from its type and expression. */
  public static PlacementConstraint of(String type, String expression) {
    if ("distinctInstance".equals(type)) {
      if (expression != null && !expression.isEmpty()) {
        throw invalid("An expression cannot be specified for a distinctInstance constraint.");
      }
      return new PlacementConstraint(type, null, null);
    }
    if ("memberOf".equals(type)) {
      if (expression == null || expression.isBlank()) {
        throw invalid("An expression is required for a memberOf constraint.");
      }
      if (expression.length() > 2000) {
        throw invalid("The expression of a placement constraint must not exceed 2000 characters.");
      }
      return new PlacementConstraint(type, expression, ClusterQuery.parse(expression));
    }
    throw invalid(
        "Invalid placement constraint type: "
            + type
            + ". Valid values are distinctInstance, memberOf.");
  }

  private static AwsException invalid(String message) {
    return new AwsException("InvalidParameterException", 400, message);
  }
}
