package dev.berth.server.it;

import static dev.berth.server.it.DiscoveryClients.answers;
import static dev.berth.server.it.DiscoveryClients.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.discovery.ServiceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;

/**
 * Real DNS packets, over UDP and TCP, to the DNS server of a Berth server whose Cloud Map
 * namespaces and instances are changed through the AWS SDK and through the ECS services' seam.
 */
class DiscoveryDnsTest {
  private static TestServer berth;
  private static ServiceDiscoveryClient cloudMap;

  @BeforeAll
  static void start() throws IOException {
    berth = TestServer.start(Files.createTempDirectory("berth-test-"), true);
    cloudMap = DiscoveryClients.cloudMap(berth);
  }

  @AfterAll
  static void stop() {
    cloudMap.close();
    berth.close();
  }

  @Test
  void aAndSrvAnswersFollowInstancesAsTheyComeGoAndTurnUnhealthy() throws Exception {
    String namespaceId = namespace("follow.local", 30);
    String serviceId = service(cloudMap, namespaceId, "web", true);
    assertThat(query(berth, "web.follow.local.", Type.A, false).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);

    register(serviceId, "task-1", "10.1.0.1", "8081");
    register(serviceId, "task-2", "10.1.0.2", "8082");

    Message udp = query(berth, "web.follow.local.", Type.A, false);
    assertThat(udp.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(addresses(udp)).containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2");
    assertThat(answers(udp)).allSatisfy(record -> assertThat(record.getTTL()).isEqualTo(10));
    Message tcp = query(berth, "web.follow.local.", Type.SRV, true);
    assertThat(answers(tcp))
        .map(record -> (SRVRecord) record)
        .extracting(
            srv -> srv.getTarget().toString(),
            SRVRecord::getPort,
            SRVRecord::getPriority,
            Record::getTTL)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("task-1.web.follow.local.", 8081, 1, 20L),
            org.assertj.core.groups.Tuple.tuple("task-2.web.follow.local.", 8082, 1, 20L));
    assertThat(addresses(query(berth, "task-1.web.follow.local.", Type.A, false)))
        .containsExactly("10.1.0.1");

    cloudMap.updateInstanceCustomHealthStatus(
        r -> r.serviceId(serviceId).instanceId("task-1").status(CustomHealthStatus.UNHEALTHY));
    assertThat(addresses(query(berth, "web.follow.local.", Type.A, false)))
        .containsExactly("10.1.0.2");
    assertThat(answers(query(berth, "web.follow.local.", Type.SRV, false)))
        .extracting(record -> ((SRVRecord) record).getPort())
        .containsExactly(8082);

    cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("task-2"));
    // Only an unhealthy instance is left: Route 53 answers with it rather than with nothing.
    assertThat(addresses(query(berth, "web.follow.local.", Type.A, false)))
        .containsExactly("10.1.0.1");

    cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("task-1"));
    Message gone = query(berth, "web.follow.local.", Type.A, true);
    assertThat(gone.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(gone.getSection(Section.AUTHORITY))
        .singleElement()
        .satisfies(
            soa -> {
              assertThat(soa).isInstanceOf(SOARecord.class);
              assertThat(soa.getTTL()).isEqualTo(30);
            });
  }

  @Test
  void multivalueAnswersAtMostEightOfManyHealthyInstances() throws Exception {
    String serviceId = service(cloudMap, namespace("many.local", 15), "web", false);
    for (int i = 1; i <= 12; i++) {
      register(serviceId, "task-" + i, "10.2.0." + i, "80");
    }

    assertThat(addresses(query(berth, "web.many.local.", Type.A, false)))
        .hasSize(8)
        .doesNotHaveDuplicates();
  }

  @Test
  void namesOutsideBerthsNamespacesAreRefusedAndHttpNamespacesHaveNoDns() throws Exception {
    cloudMap.createHttpNamespace(r -> r.name("api-only"));

    assertThat(query(berth, "example.com.", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(query(berth, "anything.api-only.", Type.A, true).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aKnownServiceNameWithoutTheRecordTypeIsNodata() throws Exception {
    String serviceId = service(cloudMap, namespace("nodata.local", 15), "web", false);
    register(serviceId, "task-1", "10.3.0.1", "80");

    Message answer = query(berth, "web.nodata.local.", Type.AAAA, false);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answers(answer)).isEmpty();
    assertThat(answer.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aaaaAndWeightedCnameRecordsAreAnsweredToo() throws Exception {
    String namespaceId = namespace("types.local", 15);
    String six =
        cloudMap
            .createService(
                r ->
                    r.name("six")
                        .namespaceId(namespaceId)
                        .dnsConfig(
                            d ->
                                d.dnsRecords(
                                    DnsRecord.builder().type(RecordType.AAAA).ttl(5L).build())))
            .service()
            .id();
    cloudMap.registerInstance(
        r ->
            r.serviceId(six)
                .instanceId("v6")
                .attributes(Map.of("AWS_INSTANCE_IPV6", "2001:db8::7")));
    String alias =
        cloudMap
            .createService(
                r ->
                    r.name("alias")
                        .namespaceId(namespaceId)
                        .dnsConfig(
                            d ->
                                d.routingPolicy(RoutingPolicy.WEIGHTED)
                                    .dnsRecords(
                                        DnsRecord.builder()
                                            .type(RecordType.CNAME)
                                            .ttl(5L)
                                            .build())))
            .service()
            .id();
    cloudMap.registerInstance(
        r ->
            r.serviceId(alias)
                .instanceId("c1")
                .attributes(Map.of("AWS_INSTANCE_CNAME", "six.types.local")));

    assertThat(answers(query(berth, "six.types.local.", Type.AAAA, false)))
        .singleElement()
        .satisfies(
            record ->
                assertThat(((org.xbill.DNS.AAAARecord) record).getAddress().getHostAddress())
                    .isEqualTo("2001:db8:0:0:0:0:0:7"));
    assertThat(answers(query(berth, "alias.types.local.", Type.A, true)))
        .singleElement()
        .satisfies(
            record ->
                assertThat(((org.xbill.DNS.CNAMERecord) record).getTarget().toString())
                    .isEqualTo("six.types.local."));
  }

  @Test
  void theServiceRegistrySeamRegistersInstancesTheWayRegisterInstanceDoes() throws Exception {
    String namespaceId = namespace("seam.local", 15);
    String serviceId = service(cloudMap, namespaceId, "app", true);
    String serviceArn = cloudMap.getService(r -> r.id(serviceId)).service().arn();
    ServiceRegistry registry = berth.server().discovery().registry();

    String operationId =
        registry
            .register(
                serviceArn, "0123abcd", "10.4.0.1", 32768, Map.of("ECS_CLUSTER_NAME", "default"))
            .join();

    assertThat(cloudMap.getOperation(r -> r.operationId(operationId)).operation().targets())
        .containsEntry(OperationTargetType.INSTANCE, "0123abcd");
    assertThat(cloudMap.listInstances(r -> r.serviceId(serviceId)).instances())
        .singleElement()
        .satisfies(
            instance ->
                assertThat(instance.attributes())
                    .containsEntry("AWS_INSTANCE_IPV4", "10.4.0.1")
                    .containsEntry("AWS_INSTANCE_PORT", "32768")
                    .containsEntry("ECS_CLUSTER_NAME", "default"));
    assertThat(addresses(query(berth, "app.seam.local.", Type.A, false)))
        .containsExactly("10.4.0.1");

    registry.register(serviceArn, "4567efab", "10.4.0.2", 32769, Map.of()).join();
    registry.setHealthy(serviceArn, "0123abcd", false).join();
    assertThat(addresses(query(berth, "app.seam.local.", Type.A, false)))
        .containsExactly("10.4.0.2");

    registry.deregister(serviceArn, "4567efab").join();
    assertThat(registry.deregister(serviceArn, "4567efab").join()).isNull();
    assertThatThrownBy(() -> registry.register(serviceArn, "x", null, 80, Map.of()).join())
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("AWS_INSTANCE_IPV4");
  }

  @Test
  void namespacesInstancesAndHealthSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("berth-test-");
    try {
      TestServer first = TestServer.start(dir, true);
      ServiceDiscoveryClient client = DiscoveryClients.cloudMap(first);
      String operationId =
          client.createPrivateDnsNamespace(r -> r.name("restart.local").vpc("vpc-1")).operationId();
      String namespaceId =
          client
              .getOperation(r -> r.operationId(operationId))
              .operation()
              .targets()
              .get(OperationTargetType.NAMESPACE);
      String serviceId = service(client, namespaceId, "db", true);
      for (String[] instance : new String[][] {{"a", "10.5.0.1"}, {"b", "10.5.0.2"}}) {
        client.registerInstance(
            r ->
                r.serviceId(serviceId)
                    .instanceId(instance[0])
                    .attributes(
                        Map.of("AWS_INSTANCE_IPV4", instance[1], "AWS_INSTANCE_PORT", "5432")));
      }
      client.updateInstanceCustomHealthStatus(
          r -> r.serviceId(serviceId).instanceId("a").status(CustomHealthStatus.UNHEALTHY));
      client.close();
      first.stop();

      try (TestServer second = TestServer.start(dir, true)) {
        ServiceDiscoveryClient again = DiscoveryClients.cloudMap(second);
        assertThat(again.getNamespace(r -> r.id(namespaceId)).namespace().name())
            .isEqualTo("restart.local");
        assertThat(again.getOperation(r -> r.operationId(operationId)).operation().status())
            .hasToString("SUCCESS");
        assertThat(again.listInstances(r -> r.serviceId(serviceId)).instances()).hasSize(2);
        assertThat(addresses(query(second, "db.restart.local.", Type.A, false)))
            .containsExactly("10.5.0.2");
        again.close();
      }
    } finally {
      TestServer.deleteRecursively(dir);
    }
  }

  private static List<String> addresses(Message message) {
    return answers(message).stream()
        .map(record -> ((ARecord) record).getAddress().getHostAddress())
        .toList();
  }

  private static void register(String serviceId, String instanceId, String ipv4, String port) {
    cloudMap.registerInstance(
        r ->
            r.serviceId(serviceId)
                .instanceId(instanceId)
                .attributes(Map.of("AWS_INSTANCE_IPV4", ipv4, "AWS_INSTANCE_PORT", port)));
  }

  private static String namespace(String name, long soaTtl) {
    String operationId =
        cloudMap
            .createPrivateDnsNamespace(
                r ->
                    r.name(name)
                        .vpc("vpc-1")
                        .properties(p -> p.dnsProperties(d -> d.soa(s -> s.ttl(soaTtl)))))
            .operationId();
    return cloudMap
        .getOperation(r -> r.operationId(operationId))
        .operation()
        .targets()
        .get(OperationTargetType.NAMESPACE);
  }

  private static String service(
      ServiceDiscoveryClient client, String namespaceId, String name, boolean customHealth) {
    return client
        .createService(
            r -> {
              r.name(name)
                  .namespaceId(namespaceId)
                  .dnsConfig(
                      d ->
                          d.routingPolicy(RoutingPolicy.MULTIVALUE)
                              .dnsRecords(
                                  DnsRecord.builder().type(RecordType.A).ttl(10L).build(),
                                  DnsRecord.builder().type(RecordType.SRV).ttl(20L).build()));
              if (customHealth) {
                r.healthCheckCustomConfig(h -> h.failureThreshold(1));
              }
            })
        .service()
        .id();
  }
}
