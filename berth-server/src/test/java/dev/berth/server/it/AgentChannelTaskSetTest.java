package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * The task sets of the real agent channel: each carries every task, but a task definition goes only
 * with the first task of it a connection gets, and a new connection gets it again.
 */
class AgentChannelTaskSetTest {
  private static final String CLUSTER = "channel";
  private static final TestServer berth = TestServer.start();
  private static final EcsClient ecs = berth.ecs();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    berth.close();
  }

  @Test
  void aTaskDefinitionIsSentOnceAConnectionAndAgainAfterReconnecting() throws Exception {
    ecs.createCluster(r -> r.clusterName(CLUSTER));
    String instance = AgentCalls.registerAgent(ecs, CLUSTER, 1024, 1024).containerInstanceArn();
    ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("busybox").memory(64).build()));
    Connection first = connect(instance);
    first.await(set -> set.isEmpty());

    ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("web"));
    JsonNode one = first.await(set -> set.size() == 1);
    assertThat(one.get(0).path("taskDefinition").path("family").asText()).isEqualTo("web");
    ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("web"));
    JsonNode two = first.await(set -> set.size() == 2);
    assertThat(two).noneMatch(item -> item.has("taskDefinition"));
    first.socket.abort();

    Connection second = connect(instance);
    JsonNode again = second.await(set -> set.size() == 2);
    assertThat(again.get(0).path("taskDefinition").path("family").asText()).isEqualTo("web");
    assertThat(again.get(1).has("taskDefinition")).isFalse();
    second.socket.abort();
  }

  private Connection connect(String instance) throws Exception {
    Connection connection = new Connection();
    connection.socket =
        http.newWebSocketBuilder()
            .buildAsync(presigned(instance), connection)
            .get(10, TimeUnit.SECONDS);
    return connection;
  }

  private static URI presigned(String instance) {
    URI url =
        URI.create(
            berth.endpoint()
                + AgentChannel.PATH
                + "?cluster="
                + CLUSTER
                + "&containerInstance="
                + URLEncoder.encode(instance, StandardCharsets.UTF_8));
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsBasicCredentials.create(
                                berth.server().accessKey().accessKeyId(),
                                berth.server().accessKey().secretAccessKey()))
                        .request(
                            SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5)))
            .request();
    return URI.create(signed.getUri().toString().replaceFirst("^http", "ws"));
  }

  /** One channel connection, keeping the task sets it receives. */
  private static final class Connection implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final BlockingQueue<JsonNode> taskSets = new LinkedBlockingQueue<>();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = Json.MAPPER.readTree(partial.toString());
          if (AgentChannel.TASKS.equals(message.path("type").asText())) {
            taskSets.add(message.path("tasks"));
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    /** Returns the first task set received that satisfies the condition; skips earlier ones. */
    JsonNode await(Predicate<JsonNode> condition) throws InterruptedException {
      while (true) {
        JsonNode set = taskSets.poll(10, TimeUnit.SECONDS);
        assertThat(set).as("a task set in time").isNotNull();
        if (condition.test(set)) {
          return set;
        }
      }
    }
  }
}
