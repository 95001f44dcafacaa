package dev.berth.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Listener rules as ELB matches them: priority order, all conditions, any value, wildcards. */
class RoutesTest {
  private static LbConfig.Rule rule(int priority, String name, LbConfig.Condition... conditions) {
    return new LbConfig.Rule(priority, List.of(conditions), LbConfig.Action.forward(name));
  }

  private static LbConfig.Condition path(String... patterns) {
    return new LbConfig.Condition(LbConfig.Field.PATH_PATTERN, List.of(patterns));
  }

  private static LbConfig.Condition host(String... patterns) {
    return new LbConfig.Condition(LbConfig.Field.HOST_HEADER, List.of(patterns));
  }

  private static Routes<String> routes(LbConfig.Rule... rules) {
    LbConfig.Listener listener =
        new LbConfig.Listener("listener", 80, List.of(rules), LbConfig.Action.forward("default"));
    return Routes.compile(listener, action -> action.forward().get(0).arn());
  }

  @Test
  void lowestPriorityThatMatchesWinsWhateverTheOrderGiven() {
    Routes<String> routes =
        routes(rule(20, "broad", path("/*")), rule(10, "narrow", path("/api/*")));
    assertThat(routes.match("h", "/api/users")).isEqualTo("narrow");
    assertThat(routes.match("h", "/web")).isEqualTo("broad");
  }

  @Test
  void everyConditionMustMatchAndAnyValueOfOne() {
    Routes<String> routes = routes(rule(1, "both", path("/a", "/b"), host("x.test")));
    assertThat(routes.match("x.test", "/b")).isEqualTo("both");
    assertThat(routes.match("y.test", "/b")).isEqualTo("default");
    assertThat(routes.match("x.test", "/c")).isEqualTo("default");
  }

  @Test
  void pathPatternsAreCaseSensitiveAndIgnoreTheQueryString() {
    Routes<String> routes = routes(rule(1, "img", path("/img/*.png")));
    assertThat(routes.match("h", "/img/a/b.png?size=2")).isEqualTo("img");
    assertThat(routes.match("h", "/IMG/a.png")).isEqualTo("default");
    assertThat(routes.match("h", "/img/a.png.txt")).isEqualTo("default");
  }

  @Test
  void questionMarkMatchesExactlyOneCharacter() {
    Routes<String> routes = routes(rule(1, "v", path("/v?/*")));
    assertThat(routes.match("h", "/v1/x")).isEqualTo("v");
    assertThat(routes.match("h", "/v12/x")).isEqualTo("default");
    assertThat(routes.match("h", "/v/x")).isEqualTo("default");
  }

  @Test
  void hostPatternsIgnoreCaseAndThePort() {
    Routes<String> routes = routes(rule(1, "shop", host("*.Example.com")));
    assertThat(routes.match("SHOP.example.COM:8080", "/")).isEqualTo("shop");
    assertThat(routes.match("example.com", "/")).isEqualTo("default");
    assertThat(routes.match(null, "/")).isEqualTo("default");
  }

  @Test
  void absoluteFormRequestTargetsMatchByTheirPath() {
    Routes<String> routes = routes(rule(1, "api", path("/api/*")));
    assertThat(routes.match("h", "http://h/api/x?q")).isEqualTo("api");
  }

  @Test
  void starsBacktrackWithoutBlowingUp() {
    WildcardPattern pattern = new WildcardPattern("*a*a*a*a*a*b", false);
    assertThat(pattern.matches("a".repeat(5000))).isFalse();
    assertThat(pattern.matches("a".repeat(5000) + "b")).isTrue();
  }
}
