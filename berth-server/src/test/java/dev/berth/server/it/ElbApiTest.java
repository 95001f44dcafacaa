package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.*;

/** The ELBv2 API through the AWS SDK v2: resources, their shapes, and ELB's errors. */
class ElbApiTest {
  private static ElbServer server;
  private static ElasticLoadBalancingV2Client elb;

  @BeforeAll
  static void start() {
    server = ElbServer.start("elb-api");
    elb = server.elb();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static LoadBalancer loadBalancer(String name) {
    return elb.createLoadBalancer(b -> b.name(name).subnets("subnet-a", "subnet-b"))
        .loadBalancers()
        .get(0);
  }

  private static TargetGroup targetGroup(String name) {
    return elb.createTargetGroup(
            b -> b.name(name).protocol(ProtocolEnum.HTTP).port(80).targetType(TargetTypeEnum.IP))
        .targetGroups()
        .get(0);
  }

  private static Listener listener(LoadBalancer lb, TargetGroup group) {
    return ElbServer.createListener(
        elb,
        b ->
            b.loadBalancerArn(lb.loadBalancerArn())
                .protocol(ProtocolEnum.HTTP)
                .defaultActions(
                    a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group.targetGroupArn())));
  }

  @Test
  void loadBalancerIsCreatedActiveAndDescribedByNameAndArn() {
    LoadBalancer lb = loadBalancer("api-lb");
    assertThat(lb.loadBalancerArn())
        .matches(
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/api-lb/[0-9a-f]{16}");
    assertThat(lb.state().code()).isEqualTo(LoadBalancerStateEnum.ACTIVE);
    assertThat(lb.type()).isEqualTo(LoadBalancerTypeEnum.APPLICATION);
    assertThat(lb.dnsName()).isEqualTo("127.0.0.1");
    assertThat(lb.createdTime()).isNotNull();
    assertThat(lb.availabilityZones()).hasSize(2);

    assertThat(elb.describeLoadBalancers(b -> b.names("api-lb")).loadBalancers())
        .extracting(LoadBalancer::loadBalancerArn)
        .containsExactly(lb.loadBalancerArn());
    assertThat(
            elb.describeLoadBalancers(b -> b.loadBalancerArns(lb.loadBalancerArn()))
                .loadBalancers())
        .hasSize(1);
    // Creating it again with the same settings answers the same load balancer, as ELB does.
    assertThat(loadBalancer("api-lb").loadBalancerArn()).isEqualTo(lb.loadBalancerArn());
  }

  @Test
  void targetGroupHasElbDefaultsAndItsAttributesChange() {
    TargetGroup group = targetGroup("api-defaults");
    assertThat(group.healthCheckPath()).isEqualTo("/");
    assertThat(group.healthCheckIntervalSeconds()).isEqualTo(30);
    assertThat(group.healthCheckTimeoutSeconds()).isEqualTo(5);
    assertThat(group.healthyThresholdCount()).isEqualTo(5);
    assertThat(group.unhealthyThresholdCount()).isEqualTo(2);
    assertThat(group.matcher().httpCode()).isEqualTo("200");
    assertThat(group.healthCheckPort()).isEqualTo("traffic-port");

    TargetGroup modified =
        elb.modifyTargetGroup(
                b ->
                    b.targetGroupArn(group.targetGroupArn())
                        .healthCheckPath("/health")
                        .healthCheckIntervalSeconds(10)
                        .matcher(m -> m.httpCode("200-299")))
            .targetGroups()
            .get(0);
    assertThat(modified.healthCheckPath()).isEqualTo("/health");
    assertThat(modified.matcher().httpCode()).isEqualTo("200-299");

    elb.modifyTargetGroupAttributes(
        b ->
            b.targetGroupArn(group.targetGroupArn())
                .attributes(
                    a -> a.key("deregistration_delay.timeout_seconds").value("5"),
                    a ->
                        a.key("load_balancing.algorithm.type")
                            .value("least_outstanding_requests")));
    List<TargetGroupAttribute> attributes =
        elb.describeTargetGroupAttributes(b -> b.targetGroupArn(group.targetGroupArn()))
            .attributes();
    assertThat(attributes)
        .contains(
            TargetGroupAttribute.builder()
                .key("deregistration_delay.timeout_seconds")
                .value("5")
                .build(),
            TargetGroupAttribute.builder()
                .key("load_balancing.algorithm.type")
                .value("least_outstanding_requests")
                .build(),
            TargetGroupAttribute.builder().key("stickiness.enabled").value("false").build());
  }

  @Test
  void listenerHasADefaultRuleAndRulesAreListedByPriority() {
    LoadBalancer lb = loadBalancer("api-rules");
    TargetGroup group = targetGroup("api-rules");
    Listener listener = listener(lb, group);
    assertThat(listener.defaultActions().get(0).targetGroupArn()).isEqualTo(group.targetGroupArn());

    elb.createRule(
        b ->
            b.listenerArn(listener.listenerArn())
                .priority(20)
                .conditions(c -> c.field("host-header").values("api.example.com"))
                .actions(
                    a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group.targetGroupArn())));
    elb.createRule(
        b ->
            b.listenerArn(listener.listenerArn())
                .priority(10)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/img/*")))
                .actions(
                    a ->
                        a.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(
                                f -> f.statusCode("404").contentType("text/plain"))));
    List<Rule> rules = elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules();
    assertThat(rules).extracting(Rule::priority).containsExactly("10", "20", "default");
    assertThat(rules.get(2).isDefault()).isTrue();
    assertThat(rules.get(0).conditions().get(0).pathPatternConfig().values())
        .containsExactly("/img/*");
    assertThat(rules.get(1).conditions().get(0).values()).containsExactly("api.example.com");

    assertThat(
            elb.describeTargetGroups(b -> b.targetGroupArns(group.targetGroupArn()))
                .targetGroups()
                .get(0)
                .loadBalancerArns())
        .containsExactly(lb.loadBalancerArn());
    assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb.loadBalancerArn())).listeners())
        .extracting(Listener::port)
        .containsExactly(listener.port());
  }

  @Test
  void invalidInputIsAValidationError() {
    assertThatThrownBy(() -> targetGroup("bad_name"))
        .isInstanceOfSatisfying(
            ElasticLoadBalancingV2Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    // A range from the published model.
    assertThatThrownBy(
            () ->
                elb.createTargetGroup(
                    b ->
                        b.name("range")
                            .protocol(ProtocolEnum.HTTP)
                            .port(80)
                            .healthCheckIntervalSeconds(1)))
        .isInstanceOfSatisfying(
            ElasticLoadBalancingV2Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("HealthCheckIntervalSeconds")
                  .contains("greater than or equal to 5");
            });
  }

  @Test
  void missingResourcesAreNotFound() {
    String missing =
        "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef";
    assertThatThrownBy(() -> elb.describeTargetGroups(b -> b.targetGroupArns(missing)))
        .isInstanceOf(TargetGroupNotFoundException.class);
    assertThatThrownBy(() -> elb.describeLoadBalancers(b -> b.names("nope")))
        .isInstanceOf(LoadBalancerNotFoundException.class);
    assertThatThrownBy(
            () ->
                elb.registerTargets(b -> b.targetGroupArn(missing).targets(t -> t.id("127.0.0.1"))))
        .isInstanceOf(TargetGroupNotFoundException.class);
    assertThatThrownBy(
            () ->
                elb.describeRules(
                    b ->
                        b.listenerArn(
                            "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/1/2")))
        .isInstanceOf(ListenerNotFoundException.class);
  }

  @Test
  void conflictsAnswerElbErrors() {
    TargetGroup group = targetGroup("api-conflicts");
    assertThatThrownBy(
            () ->
                elb.createTargetGroup(
                    b -> b.name("api-conflicts").protocol(ProtocolEnum.HTTP).port(8080)))
        .isInstanceOf(DuplicateTargetGroupNameException.class);

    LoadBalancer lb = loadBalancer("api-conflicts");
    Listener listener = listener(lb, group);
    assertThatThrownBy(
            () ->
                elb.createListener(
                    b ->
                        b.loadBalancerArn(lb.loadBalancerArn())
                            .protocol(ProtocolEnum.HTTP)
                            .port(listener.port())
                            .defaultActions(
                                a ->
                                    a.type(ActionTypeEnum.FORWARD)
                                        .targetGroupArn(group.targetGroupArn()))))
        .isInstanceOf(DuplicateListenerException.class);

    CreateRuleRequest.Builder rule =
        CreateRuleRequest.builder()
            .listenerArn(listener.listenerArn())
            .priority(5)
            .conditions(c -> c.field("path-pattern").values("/a"))
            .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group.targetGroupArn()));
    elb.createRule(rule.build());
    assertThatThrownBy(() -> elb.createRule(rule.build()))
        .isInstanceOf(PriorityInUseException.class);

    assertThatThrownBy(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(group.targetGroupArn())))
        .isInstanceOf(ResourceInUseException.class);
    String defaultRule =
        elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules().stream()
            .filter(Rule::isDefault)
            .findFirst()
            .orElseThrow()
            .ruleArn();
    assertThatThrownBy(() -> elb.deleteRule(b -> b.ruleArn(defaultRule)))
        .isInstanceOf(OperationNotPermittedException.class);
    assertThatThrownBy(
            () ->
                elb.createListener(
                    b ->
                        b.loadBalancerArn(lb.loadBalancerArn())
                            .protocol(ProtocolEnum.HTTPS)
                            .port(ElbServer.freePort())
                            .defaultActions(
                                a ->
                                    a.type(ActionTypeEnum.FORWARD)
                                        .targetGroupArn(group.targetGroupArn()))))
        .isInstanceOf(UnsupportedProtocolException.class);
    assertThatThrownBy(
            () ->
                elb.registerTargets(
                    b ->
                        b.targetGroupArn(group.targetGroupArn())
                            .targets(t -> t.id("not-an-ip").port(80))))
        .isInstanceOf(InvalidTargetException.class);

    // Deleting the load balancer deletes its listeners; then the group can go.
    elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
    assertThatThrownBy(() -> elb.describeListeners(b -> b.listenerArns(listener.listenerArn())))
        .isInstanceOf(ListenerNotFoundException.class);
    elb.deleteTargetGroup(b -> b.targetGroupArn(group.targetGroupArn()));
    assertThatThrownBy(() -> elb.describeTargetGroups(b -> b.names("api-conflicts")))
        .isInstanceOf(TargetGroupNotFoundException.class);
  }

  @Test
  void regionsAreSeparate() {
    TargetGroup group = targetGroup("api-region");
    try (ElasticLoadBalancingV2Client west = server.client(Region.US_WEST_2)) {
      assertThat(west.describeTargetGroups().targetGroups())
          .extracting(TargetGroup::targetGroupName)
          .doesNotContain("api-region");
      assertThatThrownBy(
              () -> west.describeTargetGroups(b -> b.targetGroupArns(group.targetGroupArn())))
          .isInstanceOf(TargetGroupNotFoundException.class);
    }
  }

  @Test
  void unimplementedOperationIsRefusedInElbShape() {
    assertThatThrownBy(() -> elb.describeSSLPolicies())
        .isInstanceOfSatisfying(
            ElasticLoadBalancingV2Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction"));
  }
}
