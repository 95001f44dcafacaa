package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.GetNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InstanceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.Namespace;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceType;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.ResourceInUseException;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;
import software.amazon.awssdk.services.servicediscovery.model.Service;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceType;

/** Cloud Map's API through the AWS SDK for Java v2 against a real Berth server. */
class DiscoveryApiTest {
  private static TestServer berth;
  private static ServiceDiscoveryClient cloudMap;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    cloudMap = DiscoveryClients.cloudMap(berth);
  }

  @AfterAll
  static void stop() {
    cloudMap.close();
    berth.close();
  }

  @Test
  void creatingAPrivateDnsNamespaceIsAnOperationThatSucceedsWithItsTarget() {
    String operationId =
        cloudMap
            .createPrivateDnsNamespace(
                r ->
                    r.name("created.local")
                        .vpc("vpc-1")
                        .description("team")
                        .properties(p -> p.dnsProperties(d -> d.soa(s -> s.ttl(60L)))))
            .operationId();

    Operation operation = cloudMap.getOperation(r -> r.operationId(operationId)).operation();
    assertThat(operation.status()).isEqualTo(OperationStatus.SUCCESS);
    assertThat(operation.type()).isEqualTo(OperationType.CREATE_NAMESPACE);
    String namespaceId = operation.targets().get(OperationTargetType.NAMESPACE);
    assertThat(namespaceId).startsWith("ns-");
    assertThat(operation.createDate()).isNotNull();

    GetNamespaceResponse got = cloudMap.getNamespace(r -> r.id(namespaceId));
    Namespace namespace = got.namespace();
    assertThat(namespace.name()).isEqualTo("created.local");
    assertThat(namespace.type()).isEqualTo(NamespaceType.DNS_PRIVATE);
    assertThat(namespace.arn())
        .isEqualTo("arn:aws:servicediscovery:us-east-1:000000000000:namespace/" + namespaceId);
    assertThat(namespace.description()).isEqualTo("team");
    assertThat(namespace.serviceCount()).isZero();
    assertThat(namespace.properties().dnsProperties().soa().ttl()).isEqualTo(60L);
    assertThat(namespace.properties().dnsProperties().hostedZoneId()).startsWith("Z");
    assertThat(namespace.properties().httpProperties().httpName()).isEqualTo("created.local");
    assertThat(cloudMap.getNamespace(r -> r.id(namespace.arn())).namespace().id())
        .isEqualTo(namespaceId);
  }

  @Test
  void aNamespaceNameIsTakenOnceAndARetryWithTheSameCreatorRequestIdGetsTheSameOperation() {
    String first =
        cloudMap
            .createHttpNamespace(r -> r.name("retried").creatorRequestId("req-1"))
            .operationId();
    String again =
        cloudMap
            .createHttpNamespace(r -> r.name("retried").creatorRequestId("req-1"))
            .operationId();
    assertThat(again).isEqualTo(first);
    String namespaceId =
        cloudMap
            .getOperation(r -> r.operationId(first))
            .operation()
            .targets()
            .get(OperationTargetType.NAMESPACE);

    assertThatThrownBy(() -> cloudMap.createHttpNamespace(r -> r.name("retried")))
        .isInstanceOfSatisfying(
            NamespaceAlreadyExistsException.class,
            e -> {
              assertThat(e.namespaceId()).isEqualTo(namespaceId);
              assertThat(e.creatorRequestId()).isEqualTo("req-1");
            });
    assertThatThrownBy(
            () -> cloudMap.createHttpNamespace(r -> r.name("other").creatorRequestId("req-1")))
        .isInstanceOfSatisfying(
            DuplicateRequestException.class,
            e -> assertThat(e.duplicateOperationId()).isEqualTo(first));
  }

  @Test
  void listNamespacesFiltersByTypeAndName() {
    cloudMap.createHttpNamespace(r -> r.name("list-http"));
    cloudMap.createPrivateDnsNamespace(r -> r.name("list-dns.local").vpc("vpc-1"));

    List<NamespaceSummary> http =
        cloudMap
            .listNamespaces(
                r ->
                    r.filters(
                        f ->
                            f.name(NamespaceFilterName.TYPE)
                                .values("HTTP")
                                .condition(FilterCondition.EQ)))
            .namespaces();
    assertThat(http)
        .extracting(NamespaceSummary::name)
        .contains("list-http")
        .doesNotContain("list-dns.local");
    List<NamespaceSummary> named =
        cloudMap
            .listNamespaces(
                r ->
                    r.filters(
                        f ->
                            f.name(NamespaceFilterName.NAME)
                                .values("list-")
                                .condition(FilterCondition.BEGINS_WITH)))
            .namespaces();
    assertThat(named)
        .extracting(NamespaceSummary::name)
        .containsExactlyInAnyOrder("list-http", "list-dns.local");
    assertThat(cloudMap.listNamespacesPaginator(r -> r.maxResults(1)).stream().toList())
        .allSatisfy(page -> assertThat(page.namespaces()).hasSizeLessThanOrEqualTo(1));
    assertThat(
            cloudMap.listNamespacesPaginator(r -> r.maxResults(1)).stream()
                .flatMap(page -> page.namespaces().stream())
                .toList())
        .extracting(NamespaceSummary::name)
        .contains("list-http", "list-dns.local");
  }

  @Test
  void servicesHaveTheirDnsConfigAndNamesAreUniqueInANamespace() {
    String namespaceId = privateNamespace("services.local");
    Service service =
        cloudMap
            .createService(
                r ->
                    r.name("web")
                        .namespaceId(namespaceId)
                        .creatorRequestId("svc-req")
                        .dnsConfig(
                            d ->
                                d.routingPolicy(RoutingPolicy.MULTIVALUE)
                                    .dnsRecords(
                                        DnsRecord.builder().type(RecordType.A).ttl(10L).build(),
                                        DnsRecord.builder().type(RecordType.SRV).ttl(20L).build()))
                        .healthCheckCustomConfig(h -> h.failureThreshold(1)))
            .service();
    assertThat(service.id()).startsWith("srv-");
    assertThat(service.arn()).endsWith(":service/" + service.id());
    assertThat(service.type()).isEqualTo(ServiceType.DNS_HTTP);
    assertThat(service.namespaceId()).isEqualTo(namespaceId);
    assertThat(service.dnsConfig().dnsRecords())
        .extracting(DnsRecord::type, DnsRecord::ttl)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RecordType.A, 10L),
            org.assertj.core.groups.Tuple.tuple(RecordType.SRV, 20L));
    assertThat(service.healthCheckCustomConfig().failureThreshold()).isEqualTo(1);
    assertThat(cloudMap.getService(r -> r.id(service.id())).service()).isEqualTo(service);
    assertThat(
            cloudMap
                .createService(
                    r ->
                        r.name("web")
                            .namespaceId(namespaceId)
                            .creatorRequestId("svc-req")
                            .dnsConfig(
                                d -> d.dnsRecords(DnsRecord.builder().type("A").ttl(10L).build())))
                .service()
                .id())
        .isEqualTo(service.id());
    assertThatThrownBy(
            () ->
                cloudMap.createService(
                    r ->
                        r.name("WEB")
                            .namespaceId(namespaceId)
                            .dnsConfig(
                                d -> d.dnsRecords(DnsRecord.builder().type("A").ttl(10L).build()))))
        .isInstanceOfSatisfying(
            ServiceAlreadyExistsException.class,
            e -> assertThat(e.serviceId()).isEqualTo(service.id()));
    assertThat(
            cloudMap
                .listServices(
                    r -> r.filters(f -> f.name(ServiceFilterName.NAMESPACE_ID).values(namespaceId)))
                .services())
        .extracting(s -> s.id())
        .containsExactly(service.id());
    assertThat(cloudMap.getNamespace(r -> r.id(namespaceId)).namespace().serviceCount())
        .isEqualTo(1);
  }

  @Test
  void aServiceInADnsNamespaceNeedsDnsRecordsAndOneInAnHttpNamespaceMustHaveNone() {
    String dns = privateNamespace("rules.local");
    assertThatThrownBy(() -> cloudMap.createService(r -> r.name("bare").namespaceId(dns)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(
            cloudMap
                .createService(r -> r.name("api-only").namespaceId(dns).type("HTTP"))
                .service()
                .type())
        .isEqualTo(ServiceType.HTTP);
    String http = httpNamespace("rules-http");
    assertThatThrownBy(
            () ->
                cloudMap.createService(
                    r ->
                        r.name("dns")
                            .namespaceId(http)
                            .dnsConfig(
                                d -> d.dnsRecords(DnsRecord.builder().type("A").ttl(1L).build()))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> cloudMap.createService(r -> r.name("x").namespaceId("ns-nothing")))
        .isInstanceOf(NamespaceNotFoundException.class);
  }

  @Test
  void theModelChecksInputAndAnswersInvalidInput() {
    assertThatThrownBy(() -> cloudMap.createPrivateDnsNamespace(r -> r.name("no-vpc.local")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Vpc");
    assertThatThrownBy(() -> cloudMap.createHttpNamespace(r -> r.name("arn:nope")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("regular expression");
    assertThatThrownBy(() -> cloudMap.getOperation(r -> r.operationId("nope")))
        .isInstanceOf(OperationNotFoundException.class);
  }

  @Test
  void instancesAreRegisteredListedAndDeregisteredThroughOperations() {
    String namespaceId = privateNamespace("instances.local");
    String serviceId = dnsService(namespaceId, "api", false);

    String registered =
        cloudMap
            .registerInstance(
                r ->
                    r.serviceId(serviceId)
                        .instanceId("i-1")
                        .attributes(
                            Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_PORT", "80")))
            .operationId();
    Operation operation = cloudMap.getOperation(r -> r.operationId(registered)).operation();
    assertThat(operation.type()).isEqualTo(OperationType.REGISTER_INSTANCE);
    assertThat(operation.status()).isEqualTo(OperationStatus.SUCCESS);
    assertThat(operation.targets())
        .containsEntry(OperationTargetType.SERVICE, serviceId)
        .containsEntry(OperationTargetType.INSTANCE, "i-1");
    assertThat(cloudMap.listInstances(r -> r.serviceId(serviceId)).instances())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.id()).isEqualTo("i-1");
              assertThat(instance.attributes()).containsEntry("AWS_INSTANCE_IPV4", "10.0.0.1");
            });
    assertThat(cloudMap.getService(r -> r.id(serviceId)).service().instanceCount()).isEqualTo(1);

    assertThatThrownBy(() -> cloudMap.deleteService(r -> r.id(serviceId)))
        .isInstanceOf(ResourceInUseException.class);
    assertThatThrownBy(() -> cloudMap.deleteNamespace(r -> r.id(namespaceId)))
        .isInstanceOf(ResourceInUseException.class);

    String deregistered =
        cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("i-1")).operationId();
    assertThat(cloudMap.getOperation(r -> r.operationId(deregistered)).operation().type())
        .isEqualTo(OperationType.DEREGISTER_INSTANCE);
    assertThat(cloudMap.listInstances(r -> r.serviceId(serviceId)).instances()).isEmpty();
    assertThatThrownBy(
            () -> cloudMap.deregisterInstance(r -> r.serviceId(serviceId).instanceId("i-1")))
        .isInstanceOf(InstanceNotFoundException.class);

    cloudMap.deleteService(r -> r.id(serviceId));
    assertThatThrownBy(() -> cloudMap.getService(r -> r.id(serviceId)))
        .isInstanceOf(ServiceNotFoundException.class);
    String deleted = cloudMap.deleteNamespace(r -> r.id(namespaceId)).operationId();
    assertThat(cloudMap.getOperation(r -> r.operationId(deleted)).operation().type())
        .isEqualTo(OperationType.DELETE_NAMESPACE);
    assertThatThrownBy(() -> cloudMap.getNamespace(r -> r.id(namespaceId)))
        .isInstanceOf(NamespaceNotFoundException.class);
  }

  @Test
  void registrationChecksTheAttributesTheDnsRecordsNeed() {
    String serviceId = dnsService(privateNamespace("checks.local"), "api", false);

    assertThatThrownBy(
            () ->
                cloudMap.registerInstance(
                    r ->
                        r.serviceId(serviceId)
                            .instanceId("i-1")
                            .attributes(Map.of("AWS_INSTANCE_PORT", "80"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("AWS_INSTANCE_IPV4");
    assertThatThrownBy(
            () ->
                cloudMap.registerInstance(
                    r ->
                        r.serviceId(serviceId)
                            .instanceId("i-1")
                            .attributes(
                                Map.of(
                                    "AWS_INSTANCE_IPV4", "10.0.0.300", "AWS_INSTANCE_PORT", "80"))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                cloudMap.registerInstance(
                    r ->
                        r.serviceId("srv-missing")
                            .instanceId("i-1")
                            .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
        .isInstanceOf(ServiceNotFoundException.class);
  }

  @Test
  void aRetriedRegistrationGetsTheSameOperationAndAReusedRequestIdIsADuplicate() {
    String serviceId = dnsService(privateNamespace("retry.local"), "api", false);
    Map<String, String> attributes =
        Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_PORT", "80");
    String first =
        cloudMap
            .registerInstance(
                r ->
                    r.serviceId(serviceId)
                        .instanceId("i-1")
                        .creatorRequestId("r1")
                        .attributes(attributes))
            .operationId();
    String again =
        cloudMap
            .registerInstance(
                r ->
                    r.serviceId(serviceId)
                        .instanceId("i-1")
                        .creatorRequestId("r1")
                        .attributes(attributes))
            .operationId();
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(
            () ->
                cloudMap.registerInstance(
                    r ->
                        r.serviceId(serviceId)
                            .instanceId("i-2")
                            .creatorRequestId("r1")
                            .attributes(attributes)))
        .isInstanceOfSatisfying(
            DuplicateRequestException.class,
            e -> assertThat(e.duplicateOperationId()).isEqualTo(first));
  }

  @Test
  void customHealthStartsHealthyAndFollowsUpdates() {
    String namespaceId = privateNamespace("health.local");
    String serviceId = dnsService(namespaceId, "api", true);
    register(serviceId, "i-1", "10.0.0.1", Map.of());
    register(serviceId, "i-2", "10.0.0.2", Map.of("AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));

    assertThat(cloudMap.getInstancesHealthStatus(r -> r.serviceId(serviceId)).status())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("i-1", HealthStatus.HEALTHY, "i-2", HealthStatus.UNHEALTHY));

    cloudMap.updateInstanceCustomHealthStatus(
        r -> r.serviceId(serviceId).instanceId("i-1").status(CustomHealthStatus.UNHEALTHY));
    cloudMap.updateInstanceCustomHealthStatus(
        r -> r.serviceId(serviceId).instanceId("i-2").status(CustomHealthStatus.HEALTHY));
    assertThat(
            cloudMap
                .getInstancesHealthStatus(r -> r.serviceId(serviceId).instances("i-1"))
                .status())
        .containsExactlyEntriesOf(Map.of("i-1", HealthStatus.UNHEALTHY));
    assertThat(discover("health.local", "api", HealthStatusFilter.HEALTHY, Map.of()))
        .extracting(HttpInstanceSummary::instanceId)
        .containsExactly("i-2");

    String plain = dnsService(namespaceId, "plain", false);
    register(plain, "i-9", "10.0.0.9", Map.of());
    assertThatThrownBy(
            () ->
                cloudMap.updateInstanceCustomHealthStatus(
                    r -> r.serviceId(plain).instanceId("i-9").status(CustomHealthStatus.HEALTHY)))
        .isInstanceOf(CustomHealthNotFoundException.class);
    assertThat(cloudMap.getInstancesHealthStatus(r -> r.serviceId(plain)).status())
        .containsExactlyEntriesOf(Map.of("i-9", HealthStatus.UNKNOWN));
  }

  @Test
  void discoverInstancesFiltersByHealthAndAttributesAndCountsRevisions() {
    String namespaceId = httpNamespace("discover");
    String serviceId =
        cloudMap
            .createService(
                r ->
                    r.name("backend")
                        .namespaceId(namespaceId)
                        .healthCheckCustomConfig(h -> h.failureThreshold(1)))
            .service()
            .id();
    register(serviceId, "blue", "10.0.0.1", Map.of("color", "blue", "zone", "a"));
    register(serviceId, "green", "10.0.0.2", Map.of("color", "green", "zone", "a"));
    long revision =
        cloudMap
            .discoverInstances(r -> r.namespaceName("discover").serviceName("backend"))
            .instancesRevision();

    assertThat(discover("discover", "backend", null, Map.of("color", "green")))
        .singleElement()
        .satisfies(
            found -> {
              assertThat(found.instanceId()).isEqualTo("green");
              assertThat(found.namespaceName()).isEqualTo("discover");
              assertThat(found.serviceName()).isEqualTo("backend");
              assertThat(found.healthStatus()).isEqualTo(HealthStatus.HEALTHY);
              assertThat(found.attributes()).containsEntry("zone", "a");
            });
    assertThat(
            cloudMap
                .discoverInstances(
                    r ->
                        r.namespaceName("discover")
                            .serviceName("backend")
                            .optionalParameters(Map.of("color", "purple")))
                .instances())
        .hasSize(2);

    cloudMap.updateInstanceCustomHealthStatus(
        r -> r.serviceId(serviceId).instanceId("blue").status(CustomHealthStatus.UNHEALTHY));
    cloudMap.updateInstanceCustomHealthStatus(
        r -> r.serviceId(serviceId).instanceId("green").status(CustomHealthStatus.UNHEALTHY));
    assertThat(discover("discover", "backend", HealthStatusFilter.HEALTHY, Map.of())).isEmpty();
    assertThat(discover("discover", "backend", HealthStatusFilter.HEALTHY_OR_ELSE_ALL, Map.of()))
        .hasSize(2);
    assertThat(
            cloudMap
                .discoverInstances(r -> r.namespaceName("discover").serviceName("backend"))
                .instancesRevision())
        .isEqualTo(revision + 2);
    assertThatThrownBy(
            () -> cloudMap.discoverInstances(r -> r.namespaceName("discover").serviceName("none")))
        .isInstanceOf(ServiceNotFoundException.class);
    assertThatThrownBy(
            () -> cloudMap.discoverInstances(r -> r.namespaceName("none").serviceName("backend")))
        .isInstanceOf(NamespaceNotFoundException.class);
  }

  private static List<HttpInstanceSummary> discover(
      String namespace, String service, HealthStatusFilter health, Map<String, String> query) {
    return cloudMap
        .discoverInstances(
            r ->
                r.namespaceName(namespace)
                    .serviceName(service)
                    .healthStatus(health)
                    .queryParameters(query.isEmpty() ? null : query))
        .instances();
  }

  private static void register(
      String serviceId, String instanceId, String ipv4, Map<String, String> extra) {
    Map<String, String> attributes = new java.util.HashMap<>(extra);
    attributes.put("AWS_INSTANCE_IPV4", ipv4);
    attributes.put("AWS_INSTANCE_PORT", "8080");
    cloudMap.registerInstance(
        r -> r.serviceId(serviceId).instanceId(instanceId).attributes(attributes));
  }

  private static String dnsService(String namespaceId, String name, boolean customHealth) {
    return cloudMap
        .createService(
            r -> {
              r.name(name)
                  .namespaceId(namespaceId)
                  .dnsConfig(
                      d ->
                          d.dnsRecords(
                              DnsRecord.builder().type(RecordType.A).ttl(10L).build(),
                              DnsRecord.builder().type(RecordType.SRV).ttl(10L).build()));
              if (customHealth) {
                r.healthCheckCustomConfig(h -> h.failureThreshold(1));
              }
            })
        .service()
        .id();
  }

  private static String privateNamespace(String name) {
    String operationId =
        cloudMap.createPrivateDnsNamespace(r -> r.name(name).vpc("vpc-1")).operationId();
    return cloudMap
        .getOperation(r -> r.operationId(operationId))
        .operation()
        .targets()
        .get(OperationTargetType.NAMESPACE);
  }

  private static String httpNamespace(String name) {
    String operationId = cloudMap.createHttpNamespace(r -> r.name(name)).operationId();
    return cloudMap
        .getOperation(r -> r.operationId(operationId))
        .operation()
        .targets()
        .get(OperationTargetType.NAMESPACE);
  }
}
