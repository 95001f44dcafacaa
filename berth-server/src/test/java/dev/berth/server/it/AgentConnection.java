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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One connection to a test server's agent channel, as an agent opens it (a presigned WebSocket
 * upgrade), keeping the task set messages it receives.
 */
final class AgentConnection implements WebSocket.Listener {
  private final StringBuilder partial = new StringBuilder();
  private final BlockingQueue<JsonNode> taskSets = new LinkedBlockingQueue<>();
  WebSocket socket;

  /** Opens the channel of an instance of a cluster. */
  static AgentConnection open(HttpClient http, TestServer berth, String cluster, String instance)
      throws Exception {
    AgentConnection connection = new AgentConnection();
    connection.socket =
        http.newWebSocketBuilder()
            .buildAsync(presigned(berth, cluster, instance), connection)
            .get(10, TimeUnit.SECONDS);
    return connection;
  }

  private static URI presigned(TestServer berth, String cluster, String instance) {
    return presigned(
        berth.endpoint(),
        cluster,
        instance,
        AwsBasicCredentials.create(
            berth.server().accessKey().accessKeyId(),
            berth.server().accessKey().secretAccessKey()));
  }

  /**
   * Returns the channel URL of an instance of a cluster, presigned with the credentials given for
   * five minutes, and unique (a nonce) as each URL opens one channel.
   */
  static URI presigned(
      URI endpoint, String cluster, String instance, AwsBasicCredentials credentials) {
    URI url =
        URI.create(
            endpoint
                + AgentChannel.PATH
                + "?cluster="
                + cluster
                + "&containerInstance="
                + URLEncoder.encode(instance, StandardCharsets.UTF_8)
                // Each URL opens one channel: a reconnection in the same second needs its own.
                + "&nonce="
                + java.util.UUID.randomUUID());
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
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

  /** Returns the next task set message if one comes within the time given, else null. */
  JsonNode poll(Duration within) throws InterruptedException {
    return taskSets.poll(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends a message and waits until it is sent. */
  void send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }
}
