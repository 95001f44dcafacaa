package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.AwsException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SigV4 timestamps are read and written in ISO 8601 basic format, UTC. */
class SigV4AmzDateTest {
  private static final Instant INSTANT = Instant.parse("2015-08-30T12:36:00Z");

  @Test
  void basicFormatRoundTrips() {
    assertThat(AmzDate.format(INSTANT)).isEqualTo("20150830T123600Z");
    assertThat(AmzDate.parse("20150830T123600Z", false)).isEqualTo(INSTANT);
  }

  @Test
  void formatDropsFractionsOfASecond() {
    assertThat(AmzDate.format(INSTANT.plusMillis(999))).isEqualTo("20150830T123600Z");
  }

  @Test
  void dateHeaderMayUseHttpFormatWithAnyDayOfWeek() {
    assertThat(AmzDate.parse("Sun, 30 Aug 2015 12:36:00 GMT", true)).isEqualTo(INSTANT);
    assertThat(AmzDate.parse("Mon, 30 Aug 2015 12:36:00 GMT", true)).isEqualTo(INSTANT);
  }

  @Test
  void xAmzDateMustNotUseHttpFormat() {
    assertThatThrownBy(() -> AmzDate.parse("Sun, 30 Aug 2015 12:36:00 GMT", false))
        .isInstanceOf(AwsException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "20151330T123600Z",
        "20150830T123600",
        "2015-08-30T12:36:00Z",
        "",
        "20150830t123600z"
      })
  void malformedTimestampIsAnIncompleteSignature(String value) {
    assertThatThrownBy(() -> AmzDate.parse(value, true))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("IncompleteSignatureException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Date must be in ISO-8601 'basic format'. Got '"
                          + value
                          + "'. See http://en.wikipedia.org/wiki/ISO_8601");
            });
  }
}
