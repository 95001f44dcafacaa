package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A listener or rule action as stored: {@code forward} to weighted target groups, or {@code
 * fixed-response} with a status, content type and body.
 */
record ElbAction(
    String type,
    Integer order,
    List<WeightedTargetGroup> targetGroups,
    String fixedStatus,
    String fixedContentType,
    String fixedBody) {
  static final String FORWARD = "forward";
  static final String FIXED_RESPONSE = "fixed-response";

  ElbAction {
    requireNonNull(type);
    targetGroups = targetGroups == null ? List.of() : List.copyOf(targetGroups);
  }

  /** A target group of a forward action and its weight. */
  record WeightedTargetGroup(String arn, int weight) {
    WeightedTargetGroup {
      requireNonNull(arn);
    }
  }
}
