package dev.berth.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentLimitsTest {
  @Test
  void minimumHealthyRoundsUp() {
    assertThat(DeploymentLimits.minimumHealthy(3, 50)).isEqualTo(2);
    assertThat(DeploymentLimits.minimumHealthy(1, 50)).isEqualTo(1);
    assertThat(DeploymentLimits.minimumHealthy(4, 100)).isEqualTo(4);
    assertThat(DeploymentLimits.minimumHealthy(5, 0)).isZero();
  }

  @Test
  void maximumRoundsDown() {
    assertThat(DeploymentLimits.maximum(3, 150)).isEqualTo(4);
    assertThat(DeploymentLimits.maximum(1, 150)).isEqualTo(1);
    assertThat(DeploymentLimits.maximum(4, 200)).isEqualTo(8);
    assertThat(DeploymentLimits.maximum(0, 200)).isZero();
  }

  @Test
  void failureThresholdIsHalfTheDesiredCountBetweenThreeAndTwoHundred() {
    assertThat(DeploymentLimits.failureThreshold(1)).isEqualTo(3);
    assertThat(DeploymentLimits.failureThreshold(6)).isEqualTo(3);
    assertThat(DeploymentLimits.failureThreshold(7)).isEqualTo(4);
    assertThat(DeploymentLimits.failureThreshold(100)).isEqualTo(50);
    assertThat(DeploymentLimits.failureThreshold(1000)).isEqualTo(200);
  }

  @Test
  void eventsArePutNewestFirstAndARepeatIsToldOnce() {
    ServiceEvents events = new ServiceEvents("web", java.util.List.of(), 1000);
    events.started(java.util.List.of("arn:aws:ecs:us-east-1:000000000000:task/c/abc"));
    events.steadyState();
    events.steadyState();
    assertThat(events.events())
        .extracting(event -> event.message())
        .containsExactly(
            "(service web) has reached a steady state.",
            "(service web) has started 1 tasks: (task abc).");
  }
}
