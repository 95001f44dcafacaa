package dev.berth.server.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the data plane should serve, derived from the ELB state after every change: the listeners
 * with their rules and the target groups with their settings and registered targets. The data plane
 * reconciles itself to the latest one.
 */
public record LbConfig(List<Listener> listeners, List<TargetGroup> targetGroups) {
  /** Creates a configuration; the lists are copied. */
  public LbConfig {
    listeners = List.copyOf(listeners);
    targetGroups = List.copyOf(targetGroups);
  }

  /** A listener: its port, its rules (any order) and its default action. */
  public record Listener(String arn, int port, List<Rule> rules, Action defaultAction) {
    /** Creates a listener; the rule list is copied. */
    public Listener {
      requireNonNull(arn);
      rules = List.copyOf(rules);
      requireNonNull(defaultAction);
    }
  }

  /** A rule: it applies when every condition matches; lower priorities are tried first. */
  public record Rule(int priority, List<Condition> conditions, Action action) {
    /** Creates a rule; the condition list is copied. */
    public Rule {
      conditions = List.copyOf(conditions);
      requireNonNull(action);
    }
  }

  /** A condition: the request's path or host matches one of the patterns (* and ? wildcards). */
  public record Condition(Field field, List<String> patterns) {
    /** Creates a condition; the pattern list is copied. */
    public Condition {
      requireNonNull(field);
      patterns = List.copyOf(patterns);
    }
  }

  /** What a condition looks at. */
  public enum Field {
    /** The request path, case-sensitive, without the query string. */
    PATH_PATTERN,
    /** The Host header, case-insensitive, without the port. */
    HOST_HEADER
  }

  /**
   * An action: forward to target groups (one, or several by weight), or a fixed response when
   * {@code fixedStatus} is set.
   */
  public record Action(
      List<WeightedTargetGroup> forward,
      int fixedStatus,
      String fixedContentType,
      String fixedBody) {
    /** Creates an action; the list is copied. */
    public Action {
      forward = List.copyOf(forward);
    }

    /** Returns an action forwarding to one target group. */
    public static Action forward(String targetGroupArn) {
      return new Action(List.of(new WeightedTargetGroup(targetGroupArn, 1)), 0, null, null);
    }

    /** Returns an action answering a fixed response. */
    public static Action fixed(int status, String contentType, String body) {
      return new Action(List.of(), status, contentType, body);
    }
  }

  /** A target group an action forwards to, with its weight (0..999). */
  public record WeightedTargetGroup(String arn, int weight) {
    /** Creates a weighted target group. */
    public WeightedTargetGroup {
      requireNonNull(arn);
    }
  }

  /** A target group: health check, algorithm, deregistration delay and registered targets. */
  public record TargetGroup(
      String arn,
      HealthCheck healthCheck,
      Algorithm algorithm,
      Duration deregistrationDelay,
      Set<TargetAddress> targets,
      boolean inUse) {
    /** Creates a target group; the target set is copied. */
    public TargetGroup {
      requireNonNull(arn);
      requireNonNull(healthCheck);
      requireNonNull(algorithm);
      requireNonNull(deregistrationDelay);
      targets = Set.copyOf(targets);
    }
  }

  /**
   * A target group's HTTP health check: the path, the port (null for the traffic port), the
   * interval and timeout, the thresholds and the accepted codes.
   */
  public record HealthCheck(
      String path,
      Integer port,
      Duration interval,
      Duration timeout,
      int healthyThreshold,
      int unhealthyThreshold,
      StatusMatcher matcher) {
    /** Creates a health check; path, durations and matcher are required. */
    public HealthCheck {
      requireNonNull(path);
      requireNonNull(interval);
      requireNonNull(timeout);
      requireNonNull(matcher);
    }
  }
}
