package dev.berth.server.elb;

import dev.berth.server.proxy.Algorithm;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes of an application load balancer's target group: ELB's defaults, which of them
 * Berth honours ({@code deregistration_delay.timeout_seconds} and {@code
 * load_balancing.algorithm.type}), and the checks of a modification.
 */
final class TargetGroupAttributes {
  static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
  static final String ALGORITHM = "load_balancing.algorithm.type";

  /** Every attribute DescribeTargetGroupAttributes reports, with ELB's default values. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          DEREGISTRATION_DELAY,
          "300",
          ALGORITHM,
          "round_robin",
          "load_balancing.algorithm.anomaly_mitigation",
          "off",
          "load_balancing.cross_zone.enabled",
          "use_load_balancer_configuration",
          "slow_start.duration_seconds",
          "0",
          "stickiness.enabled",
          "false",
          "stickiness.type",
          "lb_cookie",
          "stickiness.lb_cookie.duration_seconds",
          "86400");

  private TargetGroupAttributes() {}

  /**
   * Returns the stored attributes after a modification, or throws: an unknown key is a
   * ValidationError, a value out of range too, and an attribute Berth does not honour may only be
   * set to its default.
   */
  static Map<String, String> modify(Map<String, String> stored, Map<String, String> changes) {
    Map<String, String> next = new HashMap<>(stored);
    changes.forEach(
        (key, value) -> {
          if (!DEFAULTS.containsKey(key)) {
            throw ElbErrors.validation(
                "Target group attribute key '" + key + "' is not recognized");
          }
          switch (key) {
            case DEREGISTRATION_DELAY -> {
              int seconds;
              try {
                seconds = Integer.parseInt(value);
              } catch (NumberFormatException e) {
                seconds = -1;
              }
              if (seconds < 0 || seconds > 3600) {
                throw ElbErrors.validation(
                    "Target group attribute '"
                        + key
                        + "' must be an integer between 0 and 3600, got '"
                        + value
                        + "'");
              }
              next.put(key, Integer.toString(seconds));
            }
            case ALGORITHM -> {
              if (Algorithm.fromAttribute(value) == null) {
                if ("weighted_random".equals(value)) {
                  throw ElbErrors.invalidConfiguration(
                      "Berth supports the round_robin and least_outstanding_requests algorithms");
                }
                throw ElbErrors.validation(
                    "Target group attribute '"
                        + key
                        + "' must be one of round_robin, least_outstanding_requests,"
                        + " weighted_random");
              }
              next.put(key, value);
            }
            default -> {
              if (!DEFAULTS.get(key).equals(value)) {
                throw ElbErrors.invalidConfiguration(
                    "Berth does not support target group attribute '"
                        + key
                        + "' other than its default '"
                        + DEFAULTS.get(key)
                        + "'");
              }
              next.remove(key);
            }
          }
        });
    return next;
  }
}
