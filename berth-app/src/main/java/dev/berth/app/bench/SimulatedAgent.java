package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One container instance's agent as the placement benchmark simulates it: it keeps the real agent
 * channel open (a SigV4-presigned WebSocket, as {@code ChannelClient} opens it) and hands the ARN
 * of every task the server asks it to run, once, to whoever acknowledges it. Thousands share one
 * {@link HttpClient}, and hence one selector thread, where {@code ChannelClient} owns one each.
 */
final class SimulatedAgent implements AutoCloseable {
  private final HttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final String cluster;
  private final String instanceArn;
  private final Consumer<String> onNewTask;
  private final Consumer<String> onStopTask;
  private final CountDownLatch firstTaskSet;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private volatile WebSocket socket;
  private boolean opened;

  /**
   * Creates the agent of the instance; {@code onNewTask} gets each task ARN the server first sends
   * with desiredStatus RUNNING, and {@code firstTaskSet} is counted down when the first task set
   * arrives, which shows the server has opened the session.
   */
  SimulatedAgent(
      HttpClient http,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      Consumer<String> onNewTask,
      CountDownLatch firstTaskSet) {
    this(
        http,
        endpoint,
        region,
        credentials,
        cluster,
        instanceArn,
        onNewTask,
        arn -> {},
        firstTaskSet);
  }

  /**
   * Creates the agent as above; {@code onStopTask} also gets, once, each task ARN the server sends
   * with desiredStatus STOPPED that has not stopped yet.
   */
  SimulatedAgent(
      HttpClient http,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      Consumer<String> onNewTask,
      Consumer<String> onStopTask,
      CountDownLatch firstTaskSet) {
    this.http = requireNonNull(http);
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.onNewTask = requireNonNull(onNewTask);
    this.onStopTask = requireNonNull(onStopTask);
    this.firstTaskSet = requireNonNull(firstTaskSet);
  }

  /** Opens the channel; the returned stage completes when the WebSocket is open. */
  CompletableFuture<WebSocket> connect() {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(presignedUrl(), new Listener())
        .thenApply(
            webSocket -> {
              socket = webSocket;
              return webSocket;
            });
  }

  /** Sends a heartbeat unless the previous send is still outstanding. */
  void heartbeat() {
    WebSocket current = socket;
    if (current != null && !current.isOutputClosed()) {
      try {
        current.sendText("{\"type\":\"" + AgentChannel.HEARTBEAT + "\"}", true);
      } catch (IllegalStateException e) {
        // A send is still outstanding; the next interval's heartbeat keeps the channel alive.
      }
    }
  }

  @Override
  public void close() {
    WebSocket current = socket;
    if (current != null) {
      current.abort();
    }
  }

  private URI presignedUrl() {
    String query =
        "cluster="
            + URLEncoder.encode(cluster, StandardCharsets.UTF_8)
            + "&containerInstance="
            + URLEncoder.encode(instanceArn, StandardCharsets.UTF_8);
    URI uri =
        URI.create(endpoint.toString().replaceAll("/+$", "") + AgentChannel.PATH + "?" + query);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5)))
            .request();
    return URI.create(signed.getUri().toString().replaceFirst("^http", "ws"));
  }

  /** Assembles text frames and picks out the tasks not seen before. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(text);
      }
      webSocket.request(1);
      return null;
    }

    private void handle(String text) {
      try {
        JsonNode message = Json.MAPPER.readTree(text);
        if (!AgentChannel.TASKS.equals(message.path("type").asText())) {
          return;
        }
        for (JsonNode entry : message.path("tasks")) {
          JsonNode task = entry.path("task");
          String arn = task.path("taskArn").asText();
          if ("RUNNING".equals(task.path("desiredStatus").asText())
              && !"RUNNING".equals(task.path("lastStatus").asText())
              && seen.add(arn)) {
            onNewTask.accept(arn);
          } else if ("STOPPED".equals(task.path("desiredStatus").asText())
              && !"STOPPED".equals(task.path("lastStatus").asText())
              && stopped.add(arn)) {
            onStopTask.accept(arn);
          }
        }
      } catch (Exception e) {
        System.err.println("simulated agent cannot read a channel message: " + e);
      } finally {
        // The listener runs one message at a time per socket, so the flag needs no lock.
        if (!opened) {
          opened = true;
          firstTaskSet.countDown();
        }
      }
    }
  }
}
