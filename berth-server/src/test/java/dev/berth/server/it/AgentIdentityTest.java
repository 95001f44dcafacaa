package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * Agents' own identities: an activation exchanged for an instance's key, which registers, reports
 * and holds the channel of its own instance only; read-only keys; disabled, rotated and
 * deregistered instances' keys refused.
 */
class AgentIdentityTest {
  private static final TestServer berth = TestServer.start();
  private static final EcsClient admin = berth.ecs();
  private static final RawClient raw = new RawClient(berth.endpoint());
  private final String cluster = "ident-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void family() {
    admin.registerTaskDefinition(
        r ->
            r.family("idle")
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("busybox").memory(64).build()));
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  @Test
  void anActivationRegistersItsInstancesOnceAndTheirKeysReportOnlyTheirOwnTasks() {
    admin.createCluster(r -> r.clusterName(cluster));
    JsonNode activation = adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}");
    Key a = exchange(activation);
    // An activation registers as many instances as it allows (one by default), then no more.
    RawClient.Answer spent = exchangeAnswer(activation);
    assertThat(spent.status()).isEqualTo(400);
    assertThat(spent.errorType()).isEqualTo("UnrecognizedClientException");
    Key b = exchange(adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}"));

    String instanceA = register(a, cluster);
    String instanceB = register(b, cluster);
    assertThat(instanceA).isEqualTo(a.containerInstanceArn());
    assertThat(instanceB).isEqualTo(b.containerInstanceArn());
    String taskOnA = startTaskOn(instanceA);

    // B forges a STOPPED for A's task: refused, and the task is untouched.
    try (EcsClient asB = client(b)) {
      assertAccessDenied(
          () ->
              asB.submitTaskStateChange(
                  r -> r.cluster(cluster).task(taskOnA).status("STOPPED").reason("forged")));
      assertAccessDenied(
          () ->
              asB.submitContainerStateChange(
                  r ->
                      r.cluster(cluster)
                          .task(taskOnA)
                          .containerName("app")
                          .status("STOPPED")
                          .exitCode(0)));
      // Nor may it register as A, in another cluster, or call what only an admin may.
      assertAccessDenied(
          () ->
              asB.registerContainerInstance(
                  r -> r.cluster(cluster).containerInstanceArn(instanceA)));
      assertAccessDenied(() -> asB.registerContainerInstance(r -> r.cluster("default")));
      assertAccessDenied(() -> asB.runTask(r -> r.cluster(cluster).taskDefinition("idle")));
      assertAccessDenied(() -> asB.listClusters());
    }
    assertThat(lastStatus(taskOnA)).isNotEqualTo("STOPPED");

    try (EcsClient asA = client(a)) {
      asA.submitTaskStateChange(r -> r.cluster(cluster).task(taskOnA).status("RUNNING"));
      // The agent registers again, as after a restart, as the same instance.
      assertThat(register(a, cluster)).isEqualTo(instanceA);
    }
    assertThat(lastStatus(taskOnA)).isEqualTo("RUNNING");
  }

  @Test
  void aChannelForAnInstanceIsRefusedWithAnotherInstancesKey() throws Exception {
    admin.createCluster(r -> r.clusterName(cluster));
    Key a = exchange(adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}"));
    Key b = exchange(adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}"));
    String instanceA = register(a, cluster);
    register(b, cluster);
    HttpClient http = HttpClient.newHttpClient();

    ExecutionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(channelUri(b, instanceA), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS));
    assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    var response = ((WebSocketHandshakeException) refused.getCause()).getResponse();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(String.valueOf(response.body())).contains("AccessDeniedException");
    assertThat(berth.server().agentChannels().isConnected(instanceA)).isFalse();

    WebSocket own =
        http.newWebSocketBuilder()
            .buildAsync(channelUri(a, instanceA), new WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> berth.server().agentChannels().isConnected(instanceA));
    own.abort();
  }

  @Test
  void aChannelUrlOpensOneChannelAndTheChannelClosesWhenItsKeyIsDisabled() throws Exception {
    admin.createCluster(r -> r.clusterName(cluster));
    Key a = exchange(adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}"));
    String instanceA = register(a, cluster);
    HttpClient http = HttpClient.newHttpClient();
    URI url = channelUri(a, instanceA);
    WebSocket own =
        http.newWebSocketBuilder()
            .buildAsync(url, new WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> berth.server().agentChannels().isConnected(instanceA));

    // The same URL again, as one captured on the way would be: refused, the channel stays.
    ExecutionException replayed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(url, new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS));
    var response = ((WebSocketHandshakeException) replayed.getCause()).getResponse();
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(String.valueOf(response.body())).contains("InvalidSignatureException");
    assertThat(own.isInputClosed()).isFalse();
    assertThat(berth.server().agentChannels().isConnected(instanceA)).isTrue();

    // Disabled by the admin: the open channel closes too, not only the next one.
    adminCall(
        "UpdateAccessKey", "{\"AccessKeyId\":\"" + a.accessKeyId() + "\",\"Status\":\"Inactive\"}");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !berth.server().agentChannels().isConnected(instanceA));
    own.abort();
  }

  @Test
  void aReadOnlyKeyReadsButAnAdminOnlyCallIsRefusedAndChangesNothing() {
    JsonNode created = adminCall("CreateAccessKey", "{\"Scope\":\"read-only\"}").path("AccessKey");
    assertThat(created.path("Scope").asText()).isEqualTo("read-only");
    Key reader =
        new Key(
            created.path("AccessKeyId").asText(), created.path("SecretAccessKey").asText(), null);
    try (EcsClient asReader = client(reader)) {
      assertThat(asReader.listClusters().clusterArns()).isNotEmpty();
      assertThat(asReader.describeClusters(r -> r.clusters("default")).clusters()).hasSize(1);
      assertAccessDenied(() -> asReader.createCluster(r -> r.clusterName(cluster)));
      assertAccessDenied(() -> asReader.deleteCluster(r -> r.cluster("default")));
    }
    assertThat(admin.describeClusters(r -> r.clusters(cluster)).clusters()).isEmpty();
    RawClient.Answer keyMaking =
        raw.signedTarget(
            "BerthIdentity.CreateAccessKey",
            "{}",
            reader.accessKeyId(),
            reader.secret(),
            "us-east-1",
            "berth",
            Clock.systemUTC());
    assertThat(keyMaking.status()).isEqualTo(400);
    assertThat(keyMaking.errorType()).isEqualTo("AccessDeniedException");
    assertThat(keyMaking.json().path("message").asText())
        .contains("is not authorized to perform: berth:CreateAccessKey");
  }

  @Test
  void disabledRotatedAwayAndDeregisteredInstancesKeysAreRefused() {
    admin.createCluster(r -> r.clusterName(cluster));
    Key a = exchange(adminCall("CreateActivation", "{\"Cluster\":\"" + cluster + "\"}"));
    String instanceA = register(a, cluster);

    // Disabled by the admin: refused; enabled again: works.
    adminCall(
        "UpdateAccessKey", "{\"AccessKeyId\":\"" + a.accessKeyId() + "\",\"Status\":\"Inactive\"}");
    assertRefused(a);
    adminCall(
        "UpdateAccessKey", "{\"AccessKeyId\":\"" + a.accessKeyId() + "\",\"Status\":\"Active\"}");
    assertThat(register(a, cluster)).isEqualTo(instanceA);

    // Rotated by the instance itself: the new key works, the deleted old one does not.
    JsonNode rotated = call(a, "CreateAccessKey", "{}").path("AccessKey");
    Key next =
        new Key(
            rotated.path("AccessKeyId").asText(),
            rotated.path("SecretAccessKey").asText(),
            instanceA);
    call(next, "DeleteAccessKey", "{\"AccessKeyId\":\"" + a.accessKeyId() + "\"}");
    assertRefused(a);
    assertThat(register(next, cluster)).isEqualTo(instanceA);

    // Deregistered: its keys stop working, and it cannot register again.
    admin.deregisterContainerInstance(r -> r.cluster(cluster).containerInstance(instanceA));
    assertRefused(next);
    assertThat(
            adminCall("ListAccessKeys", "{}").findValues("AccessKeyId").stream()
                .map(JsonNode::asText))
        .contains(next.accessKeyId());
  }

  /** An instance's key and the instance it belongs to (null for other keys). */
  private record Key(String accessKeyId, String secret, String containerInstanceArn) {}

  private Key exchange(JsonNode activation) {
    RawClient.Answer answer = exchangeAnswer(activation);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode key = answer.json();
    assertThat(key.path("Cluster").asText()).isEqualTo(cluster);
    return new Key(
        key.path("AccessKeyId").asText(),
        key.path("SecretAccessKey").asText(),
        key.path("ContainerInstanceArn").asText());
  }

  private static RawClient.Answer exchangeAnswer(JsonNode activation) {
    return raw.signedTarget(
        "BerthIdentity.RegisterManagedInstance",
        "{}",
        activation.path("ActivationId").asText(),
        activation.path("ActivationCode").asText(),
        "us-east-1",
        "berth",
        Clock.systemUTC());
  }

  private static JsonNode adminCall(String operation, String body) {
    return call(
        new Key(
            berth.server().accessKey().accessKeyId(),
            berth.server().accessKey().secretAccessKey(),
            null),
        operation,
        body);
  }

  private static JsonNode call(Key key, String operation, String body) {
    RawClient.Answer answer =
        raw.signedTarget(
            "BerthIdentity." + operation,
            body,
            key.accessKeyId(),
            key.secret(),
            "us-east-1",
            "berth",
            Clock.systemUTC());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.body().isEmpty() ? Json.object() : answer.json();
  }

  private static String register(Key key, String cluster) {
    try (EcsClient asInstance = client(key)) {
      return AgentCalls.registerAgent(asInstance, cluster, 1024, 2048).containerInstanceArn();
    }
  }

  private String startTaskOn(String instance) {
    // Tasks go to instances whose agent is connected; no agent runs here.
    berth.setAgentConnected(instance, true);
    return admin
        .startTask(r -> r.cluster(cluster).taskDefinition("idle").containerInstances(instance))
        .tasks()
        .get(0)
        .taskArn();
  }

  private String lastStatus(String task) {
    return admin.describeTasks(r -> r.cluster(cluster).tasks(task)).tasks().get(0).lastStatus();
  }

  private void assertRefused(Key key) {
    try (EcsClient asInstance = client(key)) {
      assertThatThrownBy(() -> AgentCalls.registerAgent(asInstance, cluster, 1024, 2048))
          .isInstanceOfSatisfying(
              EcsException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isIn("UnrecognizedClientException", "AccessDeniedException"));
    }
  }

  private static void assertAccessDenied(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EcsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            });
  }

  private static EcsClient client(Key key) {
    return EcsClient.builder()
        .endpointOverride(berth.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(key.accessKeyId(), key.secret())))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private URI channelUri(Key key, String instance) {
    return AgentConnection.presigned(
        berth.endpoint(),
        cluster,
        instance,
        AwsBasicCredentials.create(key.accessKeyId(), key.secret()));
  }
}
