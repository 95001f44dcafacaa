package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A listener rule as stored: its priority (1..50000; 0 for the listener's default rule, whose
 * actions are the listener's default actions), its conditions and its actions.
 */
record ListenerRule(
    String arn,
    String listenerArn,
    int priority,
    List<Condition> conditions,
    List<ElbAction> actions) {
  ListenerRule {
    requireNonNull(arn);
    requireNonNull(listenerArn);
    conditions = List.copyOf(conditions);
    actions = List.copyOf(actions);
  }

  /** Returns true for the listener's default rule. */
  boolean isDefault() {
    return priority == 0;
  }

  /** A condition: the field ({@code path-pattern} or {@code host-header}) and its values. */
  record Condition(String field, List<String> values) {
    Condition {
      requireNonNull(field);
      values = List.copyOf(values);
    }
  }
}
