package dev.berth.server.it;

import static dev.berth.server.it.DiscoveryClients.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.agent.AgentChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;

/**
 * Effects follow only durable commits: a commit that fails registers no target in the load
 * balancer's data plane and writes no DNS record; a commit whose effect a crash cut off has it done
 * at the next start (the agent push here; target groups and Cloud Map in ServiceWiringTest).
 */
class PostCommitEffectsTest {
  private final AtomicReference<FailingStore> failing = new AtomicReference<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private TestServer berth;

  private TestServer start(Path dataDir, boolean dns) {
    berth =
        TestServer.start(
            dataDir,
            dns,
            store -> {
              FailingStore wrapped = new FailingStore(store);
              failing.set(wrapped);
              return wrapped;
            });
    return berth;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : open.reversed()) {
      closeable.close();
    }
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void aTaskCommittedWhosePushACrashCutOffReachesItsAgentWhenItConnectsAfterTheRestart()
      throws Exception {
    start(Files.createTempDirectory("berth-effects-"), false);
    String instance =
        AgentCalls.registerAgent(berth.ecs(), "default", 1024, 1024).containerInstanceArn();
    berth
        .ecs()
        .registerTaskDefinition(
            r ->
                r.family("web")
                    .containerDefinitions(
                        ContainerDefinition.builder()
                            .name("app")
                            .image("busybox")
                            .memory(64)
                            .build()));
    // Marked connected without a channel: the task commits, and no push ever leaves the server.
    berth.setAgentConnected(instance, true);
    String task = berth.ecs().runTask(r -> r.taskDefinition("web")).tasks().get(0).taskArn();

    Path dataDir = berth.dataDir();
    berth.stop();
    start(dataDir, false);
    AgentConnection agent = AgentConnection.open(http, berth, "default", instance);
    open.add(() -> agent.socket.abort());

    JsonNode complete = agent.next();
    assertThat(complete.path("type").asText()).isEqualTo(AgentChannel.TASKS);
    assertThat(complete.path("tasks"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.path("task").path("taskArn").asText()).isEqualTo(task);
              assertThat(entry.path("task").path("desiredStatus").asText()).isEqualTo("RUNNING");
            });
  }

  @Test
  void aTargetRegistrationWhoseCommitFailedNeverReachesTheLoadBalancer() throws Exception {
    start(Files.createTempDirectory("berth-effects-"), false);
    ElasticLoadBalancingV2Client elb = elb();
    Backend backend = new Backend("a");
    open.add(backend);
    String loadBalancer =
        elb.createLoadBalancer(b -> b.name("effects")).loadBalancers().get(0).loadBalancerArn();
    String group =
        elb.createTargetGroup(
                b ->
                    b.name("effects")
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .targetType(TargetTypeEnum.IP)
                        .healthCheckPath("/health")
                        .healthCheckIntervalSeconds(5)
                        .healthCheckTimeoutSeconds(2)
                        .healthyThresholdCount(2))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    int port =
        ElbServer.createListener(
                elb,
                b ->
                    b.loadBalancerArn(loadBalancer)
                        .protocol(ProtocolEnum.HTTP)
                        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)))
            .port();

    failing.get().failing(true);
    assertThatThrownBy(
            () ->
                elb.registerTargets(
                    b ->
                        b.targetGroupArn(group)
                            .targets(t -> t.id("127.0.0.1").port(backend.port()))))
        .isInstanceOfSatisfying(
            SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    failing.get().failing(false);

    assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(group)).targetHealthDescriptions())
        .isEmpty();
    assertThat(LbHttp.get(port, "app.local", "/hello").status()).isEqualTo(503);
    assertThat(backend.served).hasValue(0);

    elb.registerTargets(
        b -> b.targetGroupArn(group).targets(t -> t.id("127.0.0.1").port(backend.port())));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> LbHttp.get(port, "app.local", "/hello").status() == 200);
    assertThat(backend.served.get()).isPositive();
  }

  @Test
  void anInstanceRegistrationWhoseCommitFailedWritesNoDnsRecord() throws Exception {
    start(Files.createTempDirectory("berth-effects-"), true);
    ServiceDiscoveryClient cloudMap = DiscoveryClients.cloudMap(berth);
    open.add(cloudMap);
    String operation =
        cloudMap.createPrivateDnsNamespace(r -> r.name("effects.local").vpc("vpc-1")).operationId();
    String namespace =
        cloudMap
            .getOperation(r -> r.operationId(operation))
            .operation()
            .targets()
            .get(OperationTargetType.NAMESPACE);
    String service =
        cloudMap
            .createService(
                r ->
                    r.name("web")
                        .namespaceId(namespace)
                        .dnsConfig(
                            d ->
                                d.routingPolicy(RoutingPolicy.MULTIVALUE)
                                    .dnsRecords(
                                        DnsRecord.builder().type(RecordType.A).ttl(10L).build())))
            .service()
            .id();

    failing.get().failing(true);
    assertThatThrownBy(() -> register(cloudMap, service, "lost", "10.9.0.1"))
        .isInstanceOfSatisfying(
            SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    failing.get().failing(false);

    assertThat(query(berth, "web.effects.local.", Type.A, false).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(query(berth, "lost.web.effects.local.", Type.A, false).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);

    register(cloudMap, service, "kept", "10.9.0.2");
    assertThat(DiscoveryClients.answers(query(berth, "web.effects.local.", Type.A, false)))
        .singleElement()
        .satisfies(record -> assertThat(record.rdataToString()).isEqualTo("10.9.0.2"));
  }

  private static void register(
      ServiceDiscoveryClient cloudMap, String serviceId, String instanceId, String ipv4) {
    cloudMap.registerInstance(
        r ->
            r.serviceId(serviceId)
                .instanceId(instanceId)
                .attributes(Map.of("AWS_INSTANCE_IPV4", ipv4)));
  }

  private ElasticLoadBalancingV2Client elb() {
    ElasticLoadBalancingV2Client client =
        ElasticLoadBalancingV2Client.builder()
            .endpointOverride(URI.create(berth.server().endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        berth.server().accessKey().accessKeyId(),
                        berth.server().accessKey().secretAccessKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    open.add(client);
    return client;
  }
}
