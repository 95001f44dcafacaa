package dev.berth.server.scheduler.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.AwsException;
import org.junit.jupiter.api.Test;

/** Expressions that do not parse: an InvalidParameterException naming where and what. */
class ClusterQueryErrorsTest {
  private static AwsException error(String expression) {
    try {
      ClusterQuery.parse(expression);
    } catch (AwsException e) {
      assertThat(e.code()).isEqualTo("InvalidParameterException");
      assertThat(e.status()).isEqualTo(400);
      return e;
    }
    throw new AssertionError("parsed: " + expression);
  }

  @Test
  void unknownSubjectIsNamedAtItsPosition() {
    assertThat(error("runningTasks == 1").getMessage())
        .startsWith("Invalid cluster query expression at position 0: unknown subject")
        .contains("'runningTasks'", "runningTasksCount");
    assertThat(error("task:group == a and colour == red").getMessage())
        .contains("position 20", "'colour'");
  }

  @Test
  void missingOperatorIsExpectedAfterTheSubject() {
    assertThat(error("runningTasksCount").getMessage())
        .contains("position 17", "expected an operator", "the end of the expression");
    assertThat(error("runningTasksCount is 1").getMessage())
        .contains("position 18", "expected an operator", "'is 1'");
  }

  @Test
  void operatorTheSubjectDoesNotTakeIsRefused() {
    assertThat(error("runningTasksCount =~ 1.*").getMessage())
        .contains("position 18", "runningTasksCount does not take =~ (matches)");
    assertThat(error("ec2InstanceId > i-1").getMessage()).contains("position 14");
    assertThat(error("registeredAt in [2018-01-01]").getMessage()).contains("position 13");
    assertThat(error("agentVersion exists").getMessage()).contains("position 13");
    assertThat(error("task:group =~ service:.*").getMessage()).contains("position 11");
  }

  @Test
  void missingValueIsExpected() {
    assertThat(error("task:group ==").getMessage())
        .contains("position 13", "expected a value", "the end of the expression");
    assertThat(error("task:group == )").getMessage()).contains("position 14", "expected a value");
  }

  @Test
  void valuesOfTheWrongKindAreRefusedAtTheValue() {
    assertThat(error("runningTasksCount > many").getMessage())
        .contains("position 20", "whole number");
    assertThat(error("agentVersion < 1.x").getMessage()).contains("position 15", "1.14.5");
    assertThat(error("registeredAt < 2018-13-45").getMessage())
        .contains("position 15", "2018-06-18T22:28:28Z");
    assertThat(error("registeredAt < yesterday").getMessage()).contains("position 15");
    assertThat(error("agentConnected == yes").getMessage())
        .contains("position 18", "true or false");
    assertThat(error("attribute:a =~ t2.(").getMessage())
        .contains("position 15", "not a Java regular expression");
  }

  @Test
  void argumentListsNeedTheirBracketsAndCommas() {
    assertThat(error("ec2InstanceId in i-1").getMessage())
        .contains("position 17", "an argument list");
    assertThat(error("ec2InstanceId in [i-1 i-2]").getMessage())
        .contains("position 22", "',' or ']'");
    assertThat(error("ec2InstanceId in [i-1,").getMessage()).contains("position 22", "a value");
  }

  @Test
  void parenthesesMustBalance() {
    assertThat(error("(task:group == a").getMessage()).contains("position 16", "expected ')'");
    assertThat(error("task:group == a)").getMessage()).contains("position 15", "as no '(' is open");
  }

  @Test
  void compoundsNeedAnExpressionOnBothSides() {
    assertThat(error("task:group == a and").getMessage())
        .contains("position 19", "expected a subject");
    assertThat(error("task:group == a b").getMessage())
        .contains("position 16", "'and', 'or' or the end");
    assertThat(error("").getMessage()).contains("position 0", "expected a subject");
    assertThat(error("attribute: == x").getMessage())
        .contains("position 10", "expected an attribute name");
  }

  @Test
  void unterminatedQuoteIsNamedWhereItOpens() {
    assertThat(error("attribute:a == 'abc").getMessage()).contains("position 15", "no closing '");
  }

  @Test
  void expressionsLongerThan2000CharactersAreRefused() {
    String longest = "attribute:a == " + "x".repeat(2000 - 15);
    assertThat(ClusterQuery.parse(longest)).hasToString(longest);

    assertThatThrownBy(() -> ClusterQuery.parse(longest + "x"))
        .isInstanceOf(AwsException.class)
        .hasMessageContaining("at most 2000");
  }
}
