package dev.berth.server.scheduler.query;

import static java.util.Objects.requireNonNull;

/**
 * An expression of ECS's cluster query language ({@code attribute:ecs.instance-type =~ t2.* and
 * runningTasksCount < 5}), compiled once and then tested against any number of instances: for
 * memberOf placement constraints and ListContainerInstances filters. Testing allocates nothing
 * beyond what a non-trivial regular expression needs.
 */
public final class ClusterQuery {
  /** The longest expression ECS accepts. */
  public static final int MAX_LENGTH = 2000;

  private final String expression;
  private final Condition condition;

  private ClusterQuery(String expression, Condition condition) {
    this.expression = expression;
    this.condition = condition;
  }

  /**
   * Parses an expression; throws an InvalidParameterException naming the character position
   * (counted from 0) and what was expected there if it is not valid.
   */
  public static ClusterQuery parse(String expression) {
    requireNonNull(expression);
    if (expression.length() > MAX_LENGTH) {
      throw QueryErrors.at(
          MAX_LENGTH,
          "the expression is "
              + expression.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed.");
    }
    return new ClusterQuery(expression, QueryParser.parse(expression));
  }

  /** Returns true if the instance satisfies the expression. */
  public boolean matches(InstanceView instance) {
    return condition.test(requireNonNull(instance));
  }

  /** Returns the expression as it was written. */
  @Override
  public String toString() {
    return expression;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClusterQuery query && query.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }
}
