package dev.berth.server.scheduler.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The example expressions of ECS's "Cluster query language" page, each with instances. */
class ClusterQueryDocumentationExamplesTest {
  private static boolean matches(String expression, InstanceView instance) {
    return ClusterQuery.parse(expression).matches(instance);
  }

  @Test
  void stringEqualitySelectsTheInstanceType() {
    String expression = "attribute:ecs.instance-type == t2.small";

    assertThat(matches(expression, new FakeInstance().attribute("ecs.instance-type", "t2.small")))
        .isTrue();
    assertThat(matches(expression, new FakeInstance().attribute("ecs.instance-type", "t2.medium")))
        .isFalse();
    assertThat(matches(expression, new FakeInstance())).isFalse();
  }

  @Test
  void argumentListSelectsEitherAvailabilityZone() {
    String expression = "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]";

    assertThat(matches(expression, zone("us-east-1a"))).isTrue();
    assertThat(matches(expression, zone("us-east-1b"))).isTrue();
    assertThat(matches(expression, zone("us-east-1c"))).isFalse();
  }

  @Test
  void compoundExpressionSelectsG2InstancesOutsideUsEast1d() {
    String expression =
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d";

    assertThat(matches(expression, zone("us-east-1a").attribute("ecs.instance-type", "g2.2xlarge")))
        .isTrue();
    assertThat(matches(expression, zone("us-east-1d").attribute("ecs.instance-type", "g2.2xlarge")))
        .isFalse();
    assertThat(matches(expression, zone("us-east-1a").attribute("ecs.instance-type", "t2.micro")))
        .isFalse();
  }

  @Test
  void taskAffinitySelectsInstancesHostingTheGroup() {
    String expression = "task:group == service:production";

    assertThat(matches(expression, new FakeInstance().group("service:production"))).isTrue();
    assertThat(matches(expression, new FakeInstance().group("service:staging"))).isFalse();
  }

  @Test
  void taskAntiAffinitySelectsInstancesNotHostingTheGroup() {
    String expression = "not(task:group == database)";

    assertThat(matches(expression, new FakeInstance().group("web"))).isTrue();
    assertThat(matches(expression, new FakeInstance())).isTrue();
    assertThat(matches(expression, new FakeInstance().group("database"))).isFalse();
  }

  @Test
  void runningTaskCountSelectsInstancesRunningOneTask() {
    String expression = "runningTasksCount == 1";

    assertThat(matches(expression, new FakeInstance().running(1))).isTrue();
    assertThat(matches(expression, new FakeInstance().running(0))).isFalse();
    assertThat(matches(expression, new FakeInstance().running(2))).isFalse();
  }

  @Test
  void agentVersionSelectsAgentsBelow1_14_5() {
    String expression = "agentVersion < 1.14.5";

    assertThat(matches(expression, new FakeInstance().agentVersion("1.14.4"))).isTrue();
    assertThat(matches(expression, new FakeInstance().agentVersion("1.9.0"))).isTrue();
    assertThat(matches(expression, new FakeInstance().agentVersion("1.14.5"))).isFalse();
    assertThat(matches(expression, new FakeInstance().agentVersion("1.80.0"))).isFalse();
    assertThat(matches(expression, new FakeInstance().agentVersion(null))).isFalse();
  }

  @Test
  void registrationTimeSelectsInstancesRegisteredBeforeFebruary13th2018() {
    String expression = "registeredAt < 2018-02-13";

    assertThat(matches(expression, new FakeInstance().registeredAt("2018-02-12T23:59:59Z")))
        .isTrue();
    assertThat(matches(expression, new FakeInstance().registeredAt("2018-02-13T00:00:00Z")))
        .isFalse();
    assertThat(matches(expression, new FakeInstance().registeredAt("2019-01-01T00:00:00Z")))
        .isFalse();
  }

  @Test
  void ec2InstanceIdSelectsTheListedInstances() {
    String expression = "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']";

    assertThat(matches(expression, new FakeInstance().ec2InstanceId("i-abcd1234"))).isTrue();
    assertThat(matches(expression, new FakeInstance().ec2InstanceId("i-wxyx7890"))).isTrue();
    assertThat(matches(expression, new FakeInstance().ec2InstanceId("i-00000000"))).isFalse();
  }

  @Test
  void precedenceExampleGroupsTheOrFirst() {
    String expression =
        "(attribute:ecs.instance-type == t2.small or attribute:ecs.instance-type == t2.medium)"
            + " and attribute:ecs.availability-zone == us-east-1a";

    assertThat(matches(expression, zone("us-east-1a").attribute("ecs.instance-type", "t2.medium")))
        .isTrue();
    assertThat(matches(expression, zone("us-east-1b").attribute("ecs.instance-type", "t2.small")))
        .isFalse();
  }

  private static FakeInstance zone(String zone) {
    return new FakeInstance().attribute("ecs.availability-zone", zone);
  }
}
