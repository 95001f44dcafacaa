package dev.berth.agent.channel;

import static java.util.Objects.requireNonNull;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * The agent's end of the {@link AgentChannel}: keeps a SigV4-presigned WebSocket open to the
 * server, hands the agent the complete task set after every message that changes it, sends
 * heartbeats and health reports, and reconnects with exponential backoff whenever the connection is
 * lost.
 */
public final class ChannelClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelClient.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * How long a channel URL stays valid: it is signed just before it is used, so a minute covers the
   * connection and a server clock up to a minute ahead, and a captured URL soon expires.
   */
  public static final Duration URL_LIFETIME = Duration.ofSeconds(60);

  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final String cluster;
  private final String instanceArn;
  private final Consumer<ArrayNode> onTasks;
  private final Duration heartbeat;
  private final HttpClient http;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("berth-agent-channel").factory());
  private volatile WebSocket socket;
  private volatile boolean closed;
  private int failures;

  /**
   * Creates a client for the instance's channel on the server at the endpoint; {@code onTasks} gets
   * the complete task set after each message that changes it, on the channel's thread, in order,
   * every entry with its task definition if the connection ever delivered it.
   */
  public ChannelClient(
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      Duration heartbeat,
      Consumer<ArrayNode> onTasks) {
    this(endpoint, region, credentials, cluster, instanceArn, heartbeat, null, onTasks);
  }

  /**
   * Creates a client as above that verifies a wss server with {@code tls} (see {@link
   * ServerTrust}), or with the JDK's default trust when it is null.
   */
  public ChannelClient(
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      Duration heartbeat,
      SSLContext tls,
      Consumer<ArrayNode> onTasks) {
    this.http =
        tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.heartbeat = requireNonNull(heartbeat);
    this.onTasks = requireNonNull(onTasks);
  }

  /** Starts connecting in the background and keeps the channel open until closed. */
  public void start() {
    timer.execute(this::connect);
    timer.scheduleAtFixedRate(
        this::sendHeartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns true while the channel is open. */
  public boolean isConnected() {
    WebSocket current = socket;
    return current != null && !current.isOutputClosed() && !current.isInputClosed();
  }

  /**
   * Sends the health of a task's containers; dropped if the channel is down (it is re-sent on
   * change).
   */
  public void sendHealth(String taskArn, Map<String, String> healthByContainer) {
    ObjectNode message = Json.object();
    message.put("type", AgentChannel.HEALTH);
    message.put("taskArn", taskArn);
    ArrayNode containers = message.putArray("containers");
    healthByContainer.forEach(
        (name, status) -> {
          ObjectNode container = containers.addObject();
          container.put("name", name);
          container.put("healthStatus", status);
        });
    send(message.toString());
  }

  /**
   * Sends a metrics message; returns false if the channel is down or the send failed, so the caller
   * keeps its samples for the next one.
   */
  public boolean sendMetrics(ObjectNode message) {
    return send(message.toString());
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    WebSocket current = socket;
    if (current != null) {
      current.abort();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    URI url;
    try {
      url = presignedUri(endpoint, region, credentials, cluster, instanceArn);
    } catch (RuntimeException e) {
      LOG.warn("cannot sign the agent channel request: {}", e.toString());
      scheduleReconnect();
      return;
    }
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(url, new Listener())
        .whenComplete(
            (webSocket, failure) -> {
              if (failure != null) {
                LOG.warn("agent channel to {} failed: {}", endpoint, rootMessage(failure));
                scheduleReconnect();
              } else {
                timer.execute(() -> failures = 0);
                socket = webSocket;
                LOG.info("agent channel open to {}", endpoint);
              }
            });
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    timer.execute(
        () -> {
          long base =
              Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failures, 16));
          failures++;
          // Jitter keeps a fleet of agents from reconnecting in lockstep after a server restart.
          long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
          if (!closed) {
            timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
          }
        });
  }

  private void sendHeartbeat() {
    send("{\"type\":\"" + AgentChannel.HEARTBEAT + "\"}");
  }

  private boolean send(String text) {
    WebSocket current = socket;
    if (current == null || current.isOutputClosed()) {
      return false;
    }
    synchronized (this) {
      // WebSocket allows one outstanding send; wait for it so messages are not lost or reordered.
      try {
        current.sendText(text, true).get(10, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        LOG.warn("agent channel send failed: {}", rootMessage(e));
        current.abort();
        return false;
      }
    }
  }

  /**
   * Returns the channel's WebSocket address for an instance of a cluster, SigV4-presigned (service
   * ecs, the region given) with the credentials, valid for {@link #URL_LIFETIME}. A random nonce
   * makes each address unique, as the server opens one channel per address.
   */
  public static URI presignedUri(
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn) {
    String query =
        "cluster="
            + URLEncoder.encode(cluster, StandardCharsets.UTF_8)
            + "&containerInstance="
            + URLEncoder.encode(instanceArn, StandardCharsets.UTF_8)
            + "&nonce="
            + UUID.randomUUID();
    URI http =
        URI.create(endpoint.toString().replaceAll("/+$", "") + AgentChannel.PATH + "?" + query);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(http).build();
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
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, URL_LIFETIME))
            .request();
    String scheme = "https".equals(signed.protocol()) ? "wss" : "ws";
    return URI.create(signed.getUri().toString().replaceFirst("^https?", scheme));
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  /**
   * Assembles text messages, applies the complete task set and its changes to the connection's copy
   * and hands the complete set over after each; reconnects when the socket closes. One listener
   * serves one connection, so a reconnection starts with no set and no definitions, as the server's
   * new session expects.
   */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final ConnectionTaskSet taskSet = new ConnectionTaskSet();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          ArrayNode set = taskSet.apply(Json.MAPPER.readTree(text));
          if (set != null) {
            onTasks.accept(set);
          }
        } catch (Exception e) {
          LOG.warn("agent channel message not handled: {}", e.toString());
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      lost(webSocket, "closed by the server (" + statusCode + ")");
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lost(webSocket, rootMessage(error));
    }

    private void lost(WebSocket webSocket, String why) {
      if (socket == webSocket) {
        socket = null;
      }
      if (!closed) {
        LOG.warn("agent channel lost: {}; reconnecting", why);
        scheduleReconnect();
      }
    }
  }
}
