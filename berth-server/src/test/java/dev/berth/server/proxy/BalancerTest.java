package dev.berth.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round robin and least outstanding requests over the healthy targets. */
class BalancerTest {
  private record Target(String name, int outstanding) {}

  @Test
  void roundRobinTakesEachTargetInTurn() {
    Balancer balancer = new Balancer();
    Target[] targets = {new Target("a", 5), new Target("b", 0), new Target("c", 9)};
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      order.append(balancer.pick(Algorithm.ROUND_ROBIN, targets, Target::outstanding).name());
    }
    assertThat(order.toString()).isEqualTo("abcabc");
  }

  @Test
  void leastOutstandingRequestsTakesTheIdlestTarget() {
    Balancer balancer = new Balancer();
    Target[] targets = {new Target("a", 5), new Target("b", 1), new Target("c", 9)};
    for (int i = 0; i < 5; i++) {
      assertThat(
              balancer
                  .pick(Algorithm.LEAST_OUTSTANDING_REQUESTS, targets, Target::outstanding)
                  .name())
          .isEqualTo("b");
    }
  }

  @Test
  void leastOutstandingRequestsSpreadsTies() {
    Balancer balancer = new Balancer();
    Target[] targets = {new Target("a", 0), new Target("b", 0), new Target("c", 0)};
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      picks.merge(
          balancer.pick(Algorithm.LEAST_OUTSTANDING_REQUESTS, targets, Target::outstanding).name(),
          1,
          Integer::sum);
    }
    assertThat(picks).containsOnlyKeys("a", "b", "c").containsValues(10, 10, 10);
  }

  @Test
  void noHealthyTargetPicksNothing() {
    assertThat(new Balancer().pick(Algorithm.ROUND_ROBIN, new Target[0], Target::outstanding))
        .isNull();
  }
}
