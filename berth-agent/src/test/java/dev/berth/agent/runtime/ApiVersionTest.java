package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiVersionTest {
  private static ApiVersion v(String text) {
    return ApiVersion.parse(text);
  }

  @Test
  void olderDaemonGetsItsOwnNewestVersion() {
    assertThat(ApiVersion.negotiate(v("1.41"), v("1.12"), ApiVersion.CLIENT_MAX))
        .isEqualTo(v("1.41"));
  }

  @Test
  void newerDaemonGetsTheClientsNewestVersion() {
    // Docker 29 speaks 1.52 and refuses anything below 1.44.
    assertThat(ApiVersion.negotiate(v("1.52"), v("1.44"), ApiVersion.CLIENT_MAX))
        .isEqualTo(v("1.44"));
  }

  @Test
  void neverSpeaksBelowTheDaemonsMinimum() {
    assertThat(ApiVersion.negotiate(v("1.55"), v("1.46"), v("1.44"))).isEqualTo(v("1.46"));
  }

  @Test
  void daemonWithoutMinimumIsTakenAtItsWord() {
    assertThat(ApiVersion.negotiate(v("1.24"), null, ApiVersion.CLIENT_MAX)).isEqualTo(v("1.24"));
  }

  @Test
  void versionsCompareNumericallyNotAsText() {
    assertThat(v("1.9")).isLessThan(v("1.10"));
    assertThat(v("1.44").toString()).isEqualTo("1.44");
    assertThatThrownBy(() -> v("one")).isInstanceOf(IllegalArgumentException.class);
  }
}
