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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * The task sets of the real agent channel: a connection gets the complete set first and then only
 * what changed, a task definition only with the first task of it, and a new connection gets the
 * complete set and every definition again.
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
  void aConnectionGetsTheCompleteSetThenItsChangesAndAgainAfterReconnecting() throws Exception {
    ecs.createCluster(r -> r.clusterName(CLUSTER));
    String instance = AgentCalls.registerAgent(ecs, CLUSTER, 1024, 1024).containerInstanceArn();
    ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("busybox").memory(64).build()));
    Connection first = connect(instance);
    JsonNode complete = first.next();
    assertThat(complete.path("type").asText()).isEqualTo(AgentChannel.TASKS);
    assertThat(complete.path("tasks")).isEmpty();

    String a = runTask();
    JsonNode placed = first.next();
    assertThat(placed.path("type").asText()).isEqualTo(AgentChannel.TASK_CHANGES);
    assertThat(arns(placed.path("tasks"))).containsExactly(a);
    assertThat(placed.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    String b = runTask();
    JsonNode another = first.next();
    assertThat(arns(another.path("tasks"))).containsExactly(b);
    assertThat(another.path("tasks").get(0).has("taskDefinition")).isFalse();

    ecs.stopTask(r -> r.cluster(CLUSTER).task(a));
    JsonNode toStop = first.next();
    assertThat(arns(toStop.path("tasks"))).containsExactly(a);
    assertThat(toStop.path("tasks").get(0).path("task").path("desiredStatus").asText())
        .isEqualTo("STOPPED");
    first.send(
        "{\"type\":\"stateChanges\",\"id\":1,\"changes\":[{\"cluster\":\"%s\",\"task\":\"%s\",\"status\":\"STOPPED\"}]}"
            .formatted(CLUSTER, a));
    JsonNode gone = first.next();
    assertThat(gone.path("tasks")).isEmpty();
    assertThat(gone.path("removed")).extracting(JsonNode::asText).containsExactly(a);
    first.socket.abort();

    Connection second = connect(instance);
    JsonNode again = second.next();
    assertThat(again.path("type").asText()).isEqualTo(AgentChannel.TASKS);
    assertThat(arns(again.path("tasks"))).containsExactly(b);
    assertThat(again.path("tasks").get(0).path("taskDefinition").path("family").asText())
        .isEqualTo("web");
    second.socket.abort();
  }

  private String runTask() {
    return ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("web")).tasks().get(0).taskArn();
  }

  private static List<String> arns(JsonNode entries) {
    List<String> arns = new ArrayList<>();
    entries.forEach(entry -> arns.add(entry.path("task").path("taskArn").asText()));
    return arns;
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

  /** One channel connection, keeping the task set messages it receives. */
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
          String type = message.path("type").asText();
          if (AgentChannel.TASKS.equals(type) || AgentChannel.TASK_CHANGES.equals(type)) {
            taskSets.add(message);
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    /** Returns the next task set message. */
    JsonNode next() throws InterruptedException {
      JsonNode message = taskSets.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a task set message in time").isNotNull();
      return message;
    }

    /** Sends a message and waits until it is sent. */
    void send(String text) throws Exception {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }
  }
}
