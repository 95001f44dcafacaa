package dev.berth.server.scheduler.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each operator, by symbol and by word, the Boolean operators, their precedence and quoting. */
class ClusterQueryOperatorsTest {
  private static final FakeInstance T2_SMALL =
      new FakeInstance()
          .attribute("ecs.instance-type", "t2.small")
          .attribute("flag", null)
          .attribute("cores", "8")
          .ec2InstanceId("i-abc")
          .agentVersion("1.14.5")
          .registeredAt("2018-06-18T22:28:28Z")
          .running(3)
          .group("web");

  private static boolean holds(String expression) {
    return ClusterQuery.parse(expression).matches(T2_SMALL);
  }

  @Test
  void equalityBySymbolAndWord() {
    assertThat(holds("attribute:ecs.instance-type == t2.small")).isTrue();
    assertThat(holds("attribute:ecs.instance-type equals t2.small")).isTrue();
    assertThat(holds("attribute:ecs.instance-type != t2.small")).isFalse();
    assertThat(holds("attribute:ecs.instance-type not_equals t2.micro")).isTrue();
    assertThat(holds("ec2InstanceId==i-abc")).isTrue();
  }

  @Test
  void absentAttributeFailsEqualityAndPassesInequality() {
    assertThat(holds("attribute:missing == x")).isFalse();
    assertThat(holds("attribute:missing != x")).isTrue();
    assertThat(holds("attribute:missing in [x, y]")).isFalse();
    assertThat(holds("attribute:missing !in [x, y]")).isTrue();
  }

  @Test
  void existsSeesAttributesWithAndWithoutValue() {
    assertThat(holds("attribute:flag exists")).isTrue();
    assertThat(holds("attribute:ecs.instance-type exists")).isTrue();
    assertThat(holds("attribute:missing exists")).isFalse();
    assertThat(holds("attribute:missing !exists")).isTrue();
    assertThat(holds("attribute:flag not_exists")).isFalse();
    assertThat(holds("attribute:flag == x")).isFalse();
  }

  @Test
  void orderingOperatorsOnCountsVersionsAndAttributes() {
    assertThat(holds("runningTasksCount > 2")).isTrue();
    assertThat(holds("runningTasksCount greater_than 3")).isFalse();
    assertThat(holds("runningTasksCount >= 3")).isTrue();
    assertThat(holds("runningTasksCount greater_than_equal 4")).isFalse();
    assertThat(holds("runningTasksCount < 4")).isTrue();
    assertThat(holds("runningTasksCount less_than 3")).isFalse();
    assertThat(holds("runningTasksCount <= 3")).isTrue();
    assertThat(holds("runningTasksCount less_than_equal 2")).isFalse();
    assertThat(holds("agentVersion == 1.14.5")).isTrue();
    assertThat(holds("agentVersion > 1.9.99")).isTrue();
    assertThat(holds("agentVersion >= 1.14.5.0")).isTrue();
    assertThat(holds("agentVersion < 1.14")).isFalse();
    // Attributes compare as numbers when both sides are numbers: 8 > 10 is false.
    assertThat(holds("attribute:cores > 10")).isFalse();
    assertThat(holds("attribute:cores >= 8")).isTrue();
    assertThat(holds("attribute:ecs.instance-type > t2.medium")).isTrue();
  }

  @Test
  void registeredAtTakesEveryDocumentedDateFormat() {
    assertThat(holds("registeredAt == 2018-06-18T22:28:28+00:00")).isTrue();
    assertThat(holds("registeredAt == 2018-06-18T22:28:28Z")).isTrue();
    assertThat(holds("registeredAt == 2018-06-18T22:28:28")).isTrue();
    assertThat(holds("registeredAt == 2018-06-18")).isTrue();
    assertThat(holds("registeredAt == 2018-06-19T00:28:28+02:00")).isTrue();
    assertThat(holds("registeredAt > 2018-06-18")).isFalse();
    assertThat(holds("registeredAt >= 2018-06-18")).isTrue();
    assertThat(holds("registeredAt > 2018-06-18T22:28:27Z")).isTrue();
    assertThat(holds("registeredAt != 2018-06-17")).isTrue();
  }

  @Test
  void inAndNotInTakeBracketsOrParentheses() {
    assertThat(holds("ec2InstanceId in [i-abc, i-def]")).isTrue();
    assertThat(holds("ec2InstanceId in (i-xyz, i-def)")).isFalse();
    assertThat(holds("ec2InstanceId !in [i-xyz]")).isTrue();
    assertThat(holds("ec2InstanceId not_in (i-abc)")).isFalse();
    assertThat(holds("task:group in [db, web]")).isTrue();
    assertThat(holds("task:group not_in [db]")).isTrue();
  }

  @Test
  void matchesIsAWholeValueJavaRegularExpression() {
    assertThat(holds("attribute:ecs.instance-type =~ t2.*")).isTrue();
    assertThat(holds("attribute:ecs.instance-type matches t2\\.(small|micro)")).isTrue();
    assertThat(holds("attribute:ecs.instance-type =~ small")).isFalse();
    assertThat(holds("attribute:ecs.instance-type =~ .*small")).isTrue();
    assertThat(holds("attribute:ecs.instance-type !~ t3.*")).isTrue();
    assertThat(holds("attribute:ecs.instance-type not_matches 't2.[a-z]+'")).isFalse();
    assertThat(holds("ec2InstanceId =~ i-[a-c]+")).isTrue();
    assertThat(holds("attribute:missing =~ .*")).isFalse();
  }

  @Test
  void agentConnectedIsTrueOrFalse() {
    InstanceView disconnected = new FakeInstance().connected(false);

    assertThat(holds("agentConnected == true")).isTrue();
    assertThat(holds("agentConnected != true")).isFalse();
    assertThat(ClusterQuery.parse("agentConnected == false").matches(disconnected)).isTrue();
    assertThat(ClusterQuery.parse("agentConnected in [true]").matches(disconnected)).isFalse();
    assertThat(ClusterQuery.parse("agentConnected =~ f.*").matches(disconnected)).isTrue();
  }

  @Test
  void notBindsTighterThanAndWhichBindsTighterThanOr() {
    // true or (false and false) = true; (true or false) and false would be false.
    assertThat(holds("runningTasksCount == 3 or runningTasksCount == 0 and agentVersion == 0"))
        .isTrue();
    // (not true) and true = false; not (true and false) would be true.
    assertThat(holds("not runningTasksCount == 3 and ec2InstanceId == i-abc")).isFalse();
    assertThat(holds("!(runningTasksCount == 3 and ec2InstanceId == i-xyz)")).isTrue();
    assertThat(holds("(runningTasksCount == 3 || runningTasksCount == 0) && agentVersion == 0"))
        .isFalse();
    assertThat(holds("not not runningTasksCount == 3")).isTrue();
    assertThat(holds("runningTasksCount == 3 AND (task:group == db OR task:group == web)"))
        .isTrue();
  }

  @Test
  void quotedValuesKeepSpacesAndOperatorCharacters() {
    FakeInstance instance = new FakeInstance().attribute("team", "red team (a&&b)");

    assertThat(ClusterQuery.parse("attribute:team == 'red team (a&&b)'").matches(instance))
        .isTrue();
    assertThat(ClusterQuery.parse("attribute:team == \"red team (a&&b)\"").matches(instance))
        .isTrue();
    assertThat(
            ClusterQuery.parse("attribute:team in ['blue', \"red team (a&&b)\"]").matches(instance))
        .isTrue();
    assertThat(
            ClusterQuery.parse("attribute:q == 'it\\'s'")
                .matches(new FakeInstance().attribute("q", "it's")))
        .isTrue();
  }

  @Test
  void toStringIsTheExpressionAsWritten() {
    String expression = "  task:group == web  ";

    assertThat(ClusterQuery.parse(expression)).hasToString(expression);
    assertThat(ClusterQuery.parse(expression)).isEqualTo(ClusterQuery.parse(expression));
  }
}
