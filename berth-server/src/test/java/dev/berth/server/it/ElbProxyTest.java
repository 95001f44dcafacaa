package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.server.elb.TargetGroups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Requests through a listener of the built-in load balancer to real HTTP targets on loopback, all
 * set up through the AWS SDK: rotation, health, draining, rules, and the errors a proxy answers.
 */
class ElbProxyTest {
  private ElbServer server;
  private ElasticLoadBalancingV2Client elb;
  private final List<Backend> backends = new ArrayList<>();
  private String loadBalancerArn;

  @BeforeEach
  void start() {
    server = ElbServer.start("elb-proxy");
    elb = server.elb();
    loadBalancerArn =
        elb.createLoadBalancer(b -> b.name("proxy")).loadBalancers().get(0).loadBalancerArn();
  }

  @AfterEach
  void stop() {
    backends.forEach(Backend::close);
    server.close();
  }

  private Backend backend(String name) {
    Backend backend = new Backend(name);
    backends.add(backend);
    return backend;
  }

  private String targetGroup(String name, Backend... targets) {
    String arn =
        elb.createTargetGroup(
                b ->
                    b.name(name)
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .targetType(TargetTypeEnum.IP)
                        .healthCheckPath("/health")
                        .healthCheckIntervalSeconds(5)
                        .healthCheckTimeoutSeconds(2)
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(2))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    elb.modifyTargetGroupAttributes(
        b ->
            b.targetGroupArn(arn)
                .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("30")));
    for (Backend target : targets) {
      elb.registerTargets(
          b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.1").port(target.port())));
    }
    return arn;
  }

  private int listener(String targetGroupArn) {
    return ElbServer.createListener(
            elb,
            b ->
                b.loadBalancerArn(loadBalancerArn)
                    .protocol(ProtocolEnum.HTTP)
                    .defaultActions(
                        a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn)))
        .port();
  }

  private Map<Integer, String> health(String targetGroupArn) {
    Map<Integer, String> states = new HashMap<>();
    for (TargetHealthDescription description :
        elb.describeTargetHealth(b -> b.targetGroupArn(targetGroupArn))
            .targetHealthDescriptions()) {
      states.put(description.target().port(), description.targetHealth().stateAsString());
    }
    return states;
  }

  private void awaitState(String targetGroupArn, Backend backend, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> state.equals(health(targetGroupArn).get(backend.port())));
  }

  @Test
  void requestsReachEveryTargetInTurnWithForwardedHeaders() {
    Backend a = backend("a");
    Backend b = backend("b");
    Backend c = backend("c");
    String group = targetGroup("rotation", a, b, c);
    int port = listener(group);
    for (Backend backend : List.of(a, b, c)) {
      awaitState(group, backend, "healthy");
    }

    try (LbHttp http = new LbHttp(port)) {
      for (int i = 0; i < 30; i++) {
        assertThat(http.send("app.local", "/hello").status()).isEqualTo(200);
      }
    }
    assertThat(List.of(a.served.get(), b.served.get(), c.served.get())).containsExactly(10, 10, 10);
    assertThat(a.lastHeaders)
        .containsEntry("x-forwarded-for", "127.0.0.1")
        .containsEntry("x-forwarded-proto", "http")
        .containsEntry("x-forwarded-port", Integer.toString(port))
        .containsEntry("host", "app.local");
  }

  @Test
  void unhealthyTargetLeavesRotationAndComesBack() {
    Backend a = backend("a");
    Backend b = backend("b");
    String group = targetGroup("health", a, b);
    int port = listener(group);
    awaitState(group, a, "healthy");
    awaitState(group, b, "healthy");

    b.healthStatus.set(500);
    awaitState(group, b, "unhealthy");
    TargetHealthDescription sick =
        elb.describeTargetHealth(x -> x.targetGroupArn(group)).targetHealthDescriptions().stream()
            .filter(d -> d.target().port() == b.port())
            .findFirst()
            .orElseThrow();
    assertThat(sick.targetHealth().reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
    assertThat(sick.targetHealth().description()).contains("500");
    int before = b.served.get();
    for (int i = 0; i < 10; i++) {
      assertThat(LbHttp.get(port, "app.local", "/").body()).isEqualTo("a /");
    }
    assertThat(b.served.get()).isEqualTo(before);

    b.healthStatus.set(200);
    awaitState(group, b, "healthy");
    for (int i = 0; i < 10; i++) {
      LbHttp.get(port, "app.local", "/");
    }
    assertThat(b.served.get()).isGreaterThan(before);
  }

  @Test
  void deregisteredTargetDrainsItsRequestsAndTakesNoNewOnes() throws Exception {
    Backend a = backend("a");
    Backend b = backend("b");
    String group = targetGroup("draining", a, b);
    int port = listener(group);
    awaitState(group, a, "healthy");
    awaitState(group, b, "healthy");

    // Two slow requests: round robin sends one to each target.
    List<CompletableFuture<LbHttp.Answer>> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      slow.add(
          CompletableFuture.supplyAsync(
              () -> LbHttp.get(port, "app.local", "/slow"), Thread::startVirtualThread));
      int expected = i + 1;
      await().until(() -> a.served.get() + b.served.get() == expected);
    }
    assertThat(a.served.get()).isEqualTo(1);

    TargetGroups seam = server.server().elb().targetGroups();
    CompletableFuture<Void> drained = seam.deregister(group, "127.0.0.1", a.port());
    awaitState(group, a, "draining");
    assertThat(seam.health(group, "127.0.0.1", a.port()).reason())
        .isEqualTo("Target.DeregistrationInProgress");
    for (int i = 0; i < 6; i++) {
      assertThat(LbHttp.get(port, "app.local", "/new").body()).isEqualTo("b /new");
    }
    assertThat(drained).isNotDone();

    a.release.countDown();
    b.release.countDown();
    for (CompletableFuture<LbHttp.Answer> answer : slow) {
      assertThat(answer.get().status()).isEqualTo(200);
    }
    // Nothing in flight any more: the drain ends long before the 30 s delay.
    drained.get(5, java.util.concurrent.TimeUnit.SECONDS);
    await().until(() -> !health(group).containsKey(a.port()));
    assertThat(seam.health(group, "127.0.0.1", a.port()).reason())
        .isEqualTo("Target.NotRegistered");
  }

  @Test
  void rulesRouteByPathAndHostInPriorityOrder() {
    Backend api = backend("api");
    Backend web = backend("web");
    String apiGroup = targetGroup("rules-api", api);
    String webGroup = targetGroup("rules-web", web);
    Listener listener =
        ElbServer.createListener(
            elb,
            b ->
                b.loadBalancerArn(loadBalancerArn)
                    .protocol(ProtocolEnum.HTTP)
                    .defaultActions(
                        a ->
                            a.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(
                                    f ->
                                        f.statusCode("404")
                                            .contentType("text/plain")
                                            .messageBody("no route"))));
    int port = listener.port();
    String listenerArn = listener.listenerArn();
    elb.createRule(
        b ->
            b.listenerArn(listenerArn)
                .priority(10)
                .conditions(c -> c.field("path-pattern").values("/api/*"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(apiGroup)));
    elb.createRule(
        b ->
            b.listenerArn(listenerArn)
                .priority(20)
                .conditions(
                    c -> c.field("host-header").hostHeaderConfig(h -> h.values("*.example.com")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(webGroup)));
    elb.createRule(
        b ->
            b.listenerArn(listenerArn)
                .priority(5)
                .conditions(
                    c -> c.field("path-pattern").values("/api/web?"),
                    c -> c.field("host-header").values("WWW.example.com"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(webGroup)));
    awaitState(apiGroup, api, "healthy");
    awaitState(webGroup, web, "healthy");

    assertThat(LbHttp.get(port, "x.test", "/api/users?id=1").body()).isEqualTo("api /api/users");
    assertThat(LbHttp.get(port, "shop.example.com:8080", "/cart").body()).isEqualTo("web /cart");
    assertThat(LbHttp.get(port, "www.example.com", "/api/web2").body()).isEqualTo("web /api/web2");
    assertThat(LbHttp.get(port, "www.example.com", "/api/web22").body())
        .isEqualTo("api /api/web22");
    LbHttp.Answer none = LbHttp.get(port, "x.test", "/other");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body()).isEqualTo("no route");
    assertThat(none.headers()).containsEntry("content-type", "text/plain");
  }

  @Test
  void targetFailuresAnswer502And504AndNoHealthyTarget503() {
    Backend a = backend("a");
    String group = targetGroup("failures", a);
    int port = listener(group);
    awaitState(group, a, "healthy");

    assertThat(LbHttp.get(port, "app.local", "/crash").status()).isEqualTo(502);
    long started = System.nanoTime();
    LbHttp.Answer timedOut = LbHttp.get(port, "app.local", "/slow");
    assertThat(timedOut.status()).isEqualTo(504);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(ElbServer.TARGET_TIMEOUT);
    a.release.countDown();
    assertThat(LbHttp.get(port, "app.local", "/ok").status()).isEqualTo(200);

    a.healthStatus.set(503);
    awaitState(group, a, "unhealthy");
    LbHttp.Answer unavailable = LbHttp.get(port, "app.local", "/ok");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.headers()).containsEntry("server", "awselb/2.0");
  }

  @Test
  void loadBalancerAndTargetsSurviveARestart() {
    Backend a = backend("a");
    String group = targetGroup("restart", a);
    int port = listener(group);
    awaitState(group, a, "healthy");

    server.restart();
    elb = server.elb();
    assertThat(elb.describeLoadBalancers(b -> b.names("proxy")).loadBalancers()).hasSize(1);
    assertThat(
            elb.describeTargetGroupAttributes(b -> b.targetGroupArn(group)).attributes().stream()
                .filter(x -> x.key().equals("deregistration_delay.timeout_seconds"))
                .findFirst()
                .orElseThrow()
                .value())
        .isEqualTo("30");
    awaitState(group, a, "healthy");
    assertThat(LbHttp.get(port, "app.local", "/again").body()).isEqualTo("a /again");
  }
}
