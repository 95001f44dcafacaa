package dev.berth.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The health check state machine, with ELB's states and reason codes. */
class HealthStateTest {
  private static final int HEALTHY = 3;
  private static final int UNHEALTHY = 2;

  @Test
  void newTargetIsInitialWithRegistrationInProgress() {
    TargetHealth report = new HealthState().report();
    assertThat(report.state()).isEqualTo("initial");
    assertThat(report.reason()).isEqualTo("Elb.RegistrationInProgress");
  }

  @Test
  void newTargetBecomesHealthyOnItsFirstPassedCheck() {
    HealthState state = new HealthState();
    assertThat(state.pass(HEALTHY)).isTrue();
    assertThat(state.report()).isEqualTo(new TargetHealth("healthy", null, null));
  }

  @Test
  void newTargetFailingStaysInitialUntilTheUnhealthyThreshold() {
    HealthState state = new HealthState();
    assertThat(state.fail("Target.Timeout", "Request timed out", UNHEALTHY)).isFalse();
    assertThat(state.report().state()).isEqualTo("initial");
    assertThat(state.report().reason()).isEqualTo("Elb.InitialHealthChecking");
    state.fail("Target.Timeout", "Request timed out", UNHEALTHY);
    assertThat(state.report())
        .isEqualTo(new TargetHealth("unhealthy", "Target.Timeout", "Request timed out"));
  }

  @Test
  void healthyTargetNeedsConsecutiveFailuresToTurnUnhealthy() {
    HealthState state = new HealthState();
    state.pass(HEALTHY);
    state.fail("Target.FailedHealthChecks", "Health checks failed", UNHEALTHY);
    state.pass(HEALTHY);
    assertThat(state.fail("Target.FailedHealthChecks", "Health checks failed", UNHEALTHY))
        .isFalse();
    assertThat(state.isHealthy()).isTrue();
    assertThat(state.fail("Target.ResponseCodeMismatch", "codes: [500]", UNHEALTHY)).isTrue();
    assertThat(state.report().reason()).isEqualTo("Target.ResponseCodeMismatch");
  }

  @Test
  void unhealthyTargetNeedsTheHealthyThresholdOfPassesInARow() {
    HealthState state = new HealthState();
    state.fail("Target.Timeout", "t", UNHEALTHY);
    state.fail("Target.Timeout", "t", UNHEALTHY);
    assertThat(state.pass(HEALTHY)).isFalse();
    assertThat(state.pass(HEALTHY)).isFalse();
    state.fail("Target.Timeout", "t", UNHEALTHY);
    assertThat(state.pass(HEALTHY)).isFalse();
    assertThat(state.pass(HEALTHY)).isFalse();
    assertThat(state.pass(HEALTHY)).isTrue();
    assertThat(state.report().state()).isEqualTo("healthy");
  }

  @Test
  void drainingAndUnusedTargetsReportElbReasons() {
    TargetRuntime target = new TargetRuntime(new TargetAddress("127.0.0.1", 8080));
    target.pass(HEALTHY);
    assertThat(target.health(false)).isEqualTo(TargetHealth.notInUse());
    assertThat(target.health(true).isHealthy()).isTrue();
    target.begin();
    target.startDraining();
    assertThat(target.isHealthy()).isFalse();
    assertThat(target.health(true).reason()).isEqualTo("Target.DeregistrationInProgress");
    assertThat(target.drained()).isNotDone();
    target.end();
    assertThat(target.drained()).isDone();
  }

  @Test
  void matcherAcceptsCodesListsAndRanges() {
    StatusMatcher matcher = StatusMatcher.parse("200,202,300-399");
    assertThat(matcher.matches(202)).isTrue();
    assertThat(matcher.matches(301)).isTrue();
    assertThat(matcher.matches(201)).isFalse();
    assertThat(matcher.matches(500)).isFalse();
  }
}
