package dev.berth.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.AwsException;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
  @Test
  void anEmptyPatternMatchesEverything() {
    assertThat(FilterPattern.parse(null).test("anything")).isTrue();
    assertThat(FilterPattern.parse("  ").test("anything")).isTrue();
  }

  @Test
  void plainTermsMustAllAppearCaseSensitively() {
    FilterPattern pattern = FilterPattern.parse("ERROR db");
    assertThat(pattern.test("ERROR: db down")).isTrue();
    assertThat(pattern.test("ERROR: cache down")).isFalse();
    assertThat(pattern.test("error: db down")).isFalse();
  }

  @Test
  void quotedPhrasesMatchAsWrittenWithEscapedQuotes() {
    assertThat(FilterPattern.parse("\"talking to\"").test("timeout talking to db")).isTrue();
    assertThat(FilterPattern.parse("\"talking to\"").test("to talking")).isFalse();
    assertThat(FilterPattern.parse("\"say \\\"hi\\\"\"").test("they say \"hi\" back")).isTrue();
  }

  @Test
  void questionMarkTermsAreAlternativesAndMinusTermsExclude() {
    FilterPattern anyOf = FilterPattern.parse("?ERROR ?WARN");
    assertThat(anyOf.test("WARN slow")).isTrue();
    assertThat(anyOf.test("INFO fine")).isFalse();
    FilterPattern without = FilterPattern.parse("ERROR -timeout");
    assertThat(without.test("ERROR refused")).isTrue();
    assertThat(without.test("ERROR timeout")).isFalse();
  }

  @Test
  void jsonPatternsCompareSelectorsWithStringsNumbersAndWildcards() {
    FilterPattern pattern =
        FilterPattern.parse("{ ($.level = \"err*\" || $.code >= 500) && $.user.id != 7 }");
    assertThat(pattern.test("{\"level\":\"error\",\"user\":{\"id\":1}}")).isTrue();
    assertThat(pattern.test("{\"level\":\"info\",\"code\":503,\"user\":{\"id\":1}}")).isTrue();
    assertThat(pattern.test("{\"level\":\"error\",\"user\":{\"id\":7}}")).isFalse();
    assertThat(pattern.test("{\"level\":\"info\",\"code\":200,\"user\":{\"id\":1}}")).isFalse();
    assertThat(pattern.test("level=error, not JSON")).isFalse();
    assertThat(FilterPattern.parse("{ $.items[1] = b }").test("{\"items\":[\"a\",\"b\"]}"))
        .isTrue();
    assertThat(FilterPattern.parse("{ $.gone NOT EXISTS }").test("{\"here\":1}")).isTrue();
    assertThat(FilterPattern.parse("{ $.here EXISTS }").test("{\"here\":1}")).isTrue();
    assertThat(FilterPattern.parse("{ $.ok IS TRUE }").test("{\"ok\":true}")).isTrue();
    assertThat(FilterPattern.parse("{ $.v IS NULL }").test("{\"v\":null}")).isTrue();
  }

  @Test
  void patternsBerthDoesNotKnowAreRefusedAsInvalidParameters() {
    for (String pattern :
        new String[] {"[ip, user]", "%regex%", "{ $.a = }", "{ a = 1 }", "\"open"}) {
      assertThatThrownBy(() -> FilterPattern.parse(pattern))
          .as(pattern)
          .isInstanceOf(AwsException.class)
          .extracting(e -> ((AwsException) e).code())
          .isEqualTo("InvalidParameterException");
    }
  }
}
