package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One container instance's agent as the placement benchmark simulates it: it keeps the real agent
 * channel open (a SigV4-presigned WebSocket, as {@code ChannelClient} opens it) and reports every
 * task the server asks it to run, once, as RUNNING on that channel, the tasks of one task set in
 * one {@value AgentChannel#STATE_CHANGES} message. Thousands share one {@link HttpClient}, and
 * hence one selector thread, where {@code ChannelClient} owns one each.
 */
final class SimulatedAgent implements AutoCloseable {
  private final HttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final String cluster;
  private final String instanceArn;
  private final String containerName;
  private final LongAdder acknowledged;
  private final LongAdder refused;
  private final CountDownLatch firstTaskSet;
  private final Set<String> seen = new HashSet<>();
  private volatile WebSocket socket;
  // The JDK's WebSocket takes one send at a time: each send waits for the one before.
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private long nextBatch;
  private boolean opened;

  /**
   * Creates the agent of the instance, whose tasks have one container of that name; each task the
   * server sends with desiredStatus RUNNING is reported RUNNING once, and counted in {@code
   * acknowledged} or {@code refused} by the server's answer. {@code firstTaskSet} is counted down
   * when the first task set arrives, which shows the server has opened the session.
   */
  SimulatedAgent(
      HttpClient http,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      String containerName,
      LongAdder acknowledged,
      LongAdder refused,
      CountDownLatch firstTaskSet) {
    this.http = requireNonNull(http);
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.containerName = requireNonNull(containerName);
    this.acknowledged = requireNonNull(acknowledged);
    this.refused = requireNonNull(refused);
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

  /** Sends a heartbeat. */
  void heartbeat() {
    send("{\"type\":\"" + AgentChannel.HEARTBEAT + "\"}");
  }

  private synchronized void send(String text) {
    WebSocket current = socket;
    if (current != null && !current.isOutputClosed()) {
      sending =
          sending.handle((sent, failure) -> null).thenCompose(x -> current.sendText(text, true));
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
        String type = message.path("type").asText();
        if (AgentChannel.STATE_CHANGE_RESULTS.equals(type)) {
          for (JsonNode result : message.path("results")) {
            (result.has("acknowledgment") ? acknowledged : refused).increment();
          }
        } else if (AgentChannel.TASKS.equals(type)) {
          report(message.path("tasks"));
        }
      } catch (Exception e) {
        System.err.println("simulated agent cannot read a channel message: " + e);
      } finally {
        // The listener runs one message at a time per socket, so the flags need no lock.
        if (!opened) {
          opened = true;
          firstTaskSet.countDown();
        }
      }
    }

    /** Reports the tasks of a task set not reported before as RUNNING, in one message. */
    private void report(JsonNode tasks) {
      ObjectNode batch = Json.object();
      batch.put("type", AgentChannel.STATE_CHANGES);
      batch.put("id", ++nextBatch);
      ArrayNode changes = batch.putArray("changes");
      for (JsonNode entry : tasks) {
        JsonNode task = entry.path("task");
        String arn = task.path("taskArn").asText();
        if ("RUNNING".equals(task.path("desiredStatus").asText())
            && !"RUNNING".equals(task.path("lastStatus").asText())
            && seen.add(arn)) {
          ObjectNode change = changes.addObject();
          change.put("cluster", cluster);
          change.put("task", arn);
          change.put("status", "RUNNING");
          change
              .putArray("containers")
              .addObject()
              .put("containerName", containerName)
              .put("runtimeId", "sim-" + arn.substring(arn.lastIndexOf('/') + 1))
              .put("status", "RUNNING");
        }
      }
      if (!changes.isEmpty()) {
        send(batch.toString());
      }
    }
  }
}
