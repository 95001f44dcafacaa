package dev.berth.server.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A listener's rules compiled for matching: tried in priority order, the first whose conditions all
 * match (each condition by any of its values) gives the action; else the default action applies.
 */
final class Routes<A> {
  private final List<CompiledRule<A>> rules;
  private final A defaultAction;

  private record CompiledRule<A>(List<CompiledCondition> conditions, A action) {}

  private record CompiledCondition(LbConfig.Field field, List<WildcardPattern> patterns) {
    boolean matches(String host, String path) {
      String subject = field == LbConfig.Field.HOST_HEADER ? host : path;
      if (subject == null) {
        return false;
      }
      for (WildcardPattern pattern : patterns) {
        if (pattern.matches(subject)) {
          return true;
        }
      }
      return false;
    }
  }

  private Routes(List<CompiledRule<A>> rules, A defaultAction) {
    this.rules = rules;
    this.defaultAction = defaultAction;
  }

  /** Compiles a listener's rules, turning each action into what the proxy acts on. */
  static <A> Routes<A> compile(
      LbConfig.Listener listener, Function<LbConfig.Action, A> resolveAction) {
    List<LbConfig.Rule> sorted = new ArrayList<>(listener.rules());
    sorted.sort(Comparator.comparingInt(LbConfig.Rule::priority));
    List<CompiledRule<A>> compiled = new ArrayList<>(sorted.size());
    for (LbConfig.Rule rule : sorted) {
      List<CompiledCondition> conditions = new ArrayList<>();
      for (LbConfig.Condition condition : rule.conditions()) {
        boolean host = condition.field() == LbConfig.Field.HOST_HEADER;
        conditions.add(
            new CompiledCondition(
                condition.field(),
                condition.patterns().stream().map(p -> new WildcardPattern(p, host)).toList()));
      }
      compiled.add(new CompiledRule<>(List.copyOf(conditions), resolveAction.apply(rule.action())));
    }
    return new Routes<>(List.copyOf(compiled), resolveAction.apply(listener.defaultAction()));
  }

  /**
   * Returns the action for a request with the Host header and the raw request target given; the
   * port is cut from the host and the query string from the path.
   */
  A match(String hostHeader, String uri) {
    if (rules.isEmpty()) {
      return defaultAction;
    }
    String host = hostHeader == null ? null : stripPort(hostHeader);
    String path = pathOf(uri);
    for (CompiledRule<A> rule : rules) {
      boolean all = true;
      for (CompiledCondition condition : rule.conditions()) {
        if (!condition.matches(host, path)) {
          all = false;
          break;
        }
      }
      if (all) {
        return rule.action();
      }
    }
    return defaultAction;
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static String pathOf(String uri) {
    String path = uri;
    // An absolute-form target (http://host/path) is reduced to its path.
    if (path.startsWith("http://") || path.startsWith("https://")) {
      int slash = path.indexOf('/', path.indexOf("//") + 2);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int question = path.indexOf('?');
    return question < 0 ? path : path.substring(0, question);
  }
}
