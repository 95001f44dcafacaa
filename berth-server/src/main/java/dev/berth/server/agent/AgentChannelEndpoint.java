package dev.berth.server.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.UpgradeEndpoint;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.SigV4Verifier;
import dev.berth.server.auth.SignedRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's end of the {@link AgentChannel}: authenticates an agent's WebSocket with SigV4,
 * keeps one session per container instance, pushes the instance's complete task set on connect and
 * what changed in it after every change (each task definition once a session), and marks the
 * instance disconnected when its heartbeats stop.
 *
 * <p>Just over 400 lines: the handshake, the sessions and the frames all work on the one sessions
 * map and a session's event loop; the URL rule and the push's messages already live apart ({@link
 * ChannelUrls}, {@link TaskSetMessages}).
 */
public final class AgentChannelEndpoint implements UpgradeEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AgentChannelEndpoint.class);
  private static final int MAX_FRAME_BYTES = 1 << 20;

  private final SigV4Verifier verifier;
  private final Authority authority;
  private final String accountId;
  private final AgentDirectory directory;
  private final Duration heartbeatTimeout;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final ChannelUrls usedUrls;
  private final BiConsumer<String, JsonNode> metrics;

  /**
   * Creates the endpoint; the authority judges whose key may hold which instance's channel; an
   * instance whose agent sends nothing for the heartbeat timeout is disconnected; every metrics
   * message an agent sends goes to the consumer with the ARN of the agent's instance.
   */
  public AgentChannelEndpoint(
      SigV4Verifier verifier,
      Authority authority,
      String accountId,
      AgentDirectory directory,
      Duration heartbeatTimeout,
      Clock clock,
      BiConsumer<String, JsonNode> metrics) {
    this.metrics = requireNonNull(metrics);
    this.verifier = requireNonNull(verifier);
    this.authority = requireNonNull(authority);
    this.accountId = requireNonNull(accountId);
    this.directory = requireNonNull(directory);
    this.heartbeatTimeout = requireNonNull(heartbeatTimeout);
    this.usedUrls = new ChannelUrls(clock);
    directory.onTaskSetChanged(this::taskSetChanged);
  }

  @Override
  public String path() {
    return AgentChannel.PATH;
  }

  /** Returns true if an agent channel for the instance is open. */
  public boolean isConnected(String containerInstanceArn) {
    return sessions.containsKey(containerInstanceArn);
  }

  @Override
  public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ApiRequest apiRequest) {
    String instanceArn;
    Principal principal;
    try {
      principal =
          verifier.verify(
              new SignedRequest(
                  apiRequest.method(),
                  apiRequest.rawPath(),
                  apiRequest.rawQuery(),
                  apiRequest.headers(),
                  apiRequest.body()),
              "ecs");
      Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
      String cluster = first(query, "cluster");
      instanceArn = first(query, "containerInstance");
      if (cluster == null || instanceArn == null) {
        throw new AwsException(
            "InvalidParameterException",
            400,
            "The agent channel needs cluster and containerInstance.");
      }
      // An instance's own key holds its channel only: another's would take its task set.
      authority.authorizeChannel(principal, instanceArn);
      // A captured channel URL opens nothing: each URL opens one channel, and lives briefly.
      usedUrls.claim(query);
      if (!directory.isRegistered(principal.region(), accountId, cluster, instanceArn)) {
        throw new AwsException(
            "InvalidParameterException",
            400,
            "Container instance " + instanceArn + " is not registered in cluster " + cluster + ".");
      }
    } catch (AwsException e) {
      refuse(ctx, e);
      return;
    }
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(websocketUrl(request), null, false, MAX_FRAME_BYTES)
            .newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    Session session = new Session(instanceArn, principal.accessKeyId(), ctx.channel(), handshaker);
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(
            (ChannelFutureListener)
                future -> {
                  if (!future.isSuccess()) {
                    future.channel().close();
                    return;
                  }
                  open(session);
                });
    // After the handshake the connection carries frames: HTTP request handling steps aside.
    for (String name : List.copyOf(pipeline.names())) {
      io.netty.channel.ChannelHandler handler = pipeline.get(name);
      if (handler instanceof io.netty.handler.codec.http.HttpServerKeepAliveHandler
          || handler instanceof io.netty.handler.codec.http.HttpObjectAggregator
          || handler == ctx.handler()) {
        pipeline.remove(handler);
      }
    }
    pipeline.addLast(new WebSocketFrameAggregator(MAX_FRAME_BYTES));
    pipeline.addLast(
        new IdleStateHandler(heartbeatTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    pipeline.addLast(new FrameHandler(session));
  }

  private void open(Session session) {
    Session previous = sessions.put(session.instanceArn, session);
    if (previous != null && previous.channel != session.channel) {
      // A reconnecting agent replaces its stale channel.
      previous.channel.close();
    }
    directory.setAgentConnected(session.instanceArn, true);
    LOG.info("agent connected for {}", session.instanceArn);
    session
        .channel
        .closeFuture()
        .addListener(
            future -> {
              if (sessions.remove(session.instanceArn, session)) {
                directory.setAgentConnected(session.instanceArn, false);
                LOG.info("agent disconnected for {}", session.instanceArn);
              }
            });
    session.schedulePush(directory);
  }

  /** Closes every channel opened with the key, now that it is disabled or deleted. */
  public void keyRevoked(String accessKeyId) {
    for (Session session : sessions.values()) {
      if (session.accessKeyId.equals(accessKeyId)) {
        LOG.info("closing the agent channel of {}: its key was revoked", session.instanceArn);
        session.channel.close();
      }
    }
  }

  private void taskSetChanged(String instanceArn) {
    Session session = sessions.get(instanceArn);
    if (session != null) {
      session.schedulePush(directory);
    }
  }

  private void received(Session session, ByteBuf utf8) {
    JsonNode message;
    try {
      // Parsed from the frame's bytes: decoding them to a String first would read them twice.
      message = Json.MAPPER.readTree(ByteBufUtil.getBytes(utf8));
    } catch (Exception e) {
      LOG.warn("unreadable agent message from {}", session.instanceArn);
      return;
    }
    String type = message.path("type").asText();
    if (AgentChannel.HEALTH.equals(type)) {
      Map<String, String> health = new LinkedHashMap<>();
      for (JsonNode container : message.path("containers")) {
        health.put(container.path("name").asText(), container.path("healthStatus").asText());
      }
      directory
          .reportHealth(session.instanceArn, message.path("taskArn").asText(), health)
          .exceptionally(
              failure -> {
                LOG.warn(
                    "health report for {} not recorded: {}",
                    message.path("taskArn").asText(),
                    failure.getMessage());
                return null;
              });
    }
    if (AgentChannel.STATE_CHANGES.equals(type)) {
      stateChanges(session, message);
    }
    if (AgentChannel.METRICS.equals(type)) {
      metrics.accept(session.instanceArn, message);
    }
    // Heartbeats need no answer: any frame resets the idle timer.
  }

  /**
   * Applies a batch of state changes and answers, once every one is durable or refused, with one
   * result a change in the batch's order.
   */
  private void stateChanges(Session session, JsonNode message) {
    List<JsonNode> changes = new ArrayList<>();
    message.path("changes").forEach(changes::add);
    List<CompletableFuture<JsonNode>> results = new ArrayList<>(changes.size());
    List<CompletableFuture<JsonNode>> applied;
    try {
      applied = directory.submitStateChanges(session.instanceArn, changes);
    } catch (RuntimeException e) {
      applied =
          changes.stream().map(change -> CompletableFuture.<JsonNode>failedFuture(e)).toList();
    }
    for (CompletableFuture<JsonNode> result : applied) {
      results.add(result.exceptionally(failure -> errorBody(session, failure)));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              ObjectNode answer = Json.object();
              answer.put("type", AgentChannel.STATE_CHANGE_RESULTS);
              // A batch without an id is answered with a null one (set() takes null as JSON null).
              answer.set("id", message.get("id"));
              ArrayNode array = answer.putArray("results");
              results.forEach(result -> array.add(result.join()));
              session.channel.writeAndFlush(textFrame(answer));
            });
  }

  private static JsonNode errorBody(Session session, Throwable failure) {
    AwsException error = AwsException.unwrap(failure);
    if (error == null) {
      LOG.error("state change from {} failed unexpectedly", session.instanceArn, failure);
      error = new AwsException("ServerException", 500, "An internal error occurred.");
    }
    return error.toJson();
  }

  /** Returns a message as a text frame, written straight to UTF-8 bytes. */
  private static TextWebSocketFrame textFrame(JsonNode message) {
    try {
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(Json.MAPPER.writeValueAsBytes(message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static void refuse(ChannelHandlerContext ctx, AwsException error) {
    ObjectNode body = error.toJson();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(error.status()),
            Unpooled.copiedBuffer(body.toString(), StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.1");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String websocketUrl(FullHttpRequest request) {
    return "ws://" + request.headers().get(HttpHeaderNames.HOST) + AgentChannel.PATH;
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * One agent's open channel; pushes are coalesced so a burst of changes sends one message, which
   * carries only what changed since the session's message before, each task definition once.
   */
  private static final class Session {
    final String instanceArn;
    final String accessKeyId;
    final Channel channel;
    final WebSocketServerHandshaker handshaker;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    // Used on the channel's event loop only.
    private final TaskSetMessages messages = new TaskSetMessages();

    Session(
        String instanceArn,
        String accessKeyId,
        Channel channel,
        WebSocketServerHandshaker handshaker) {
      this.instanceArn = instanceArn;
      this.accessKeyId = accessKeyId;
      this.channel = channel;
      this.handshaker = handshaker;
    }

    void schedulePush(AgentDirectory directory) {
      if (pushPending.compareAndSet(false, true)) {
        channel
            .eventLoop()
            .execute(
                () -> {
                  pushPending.set(false);
                  if (!channel.isActive()) {
                    return;
                  }
                  ByteBuf message =
                      messages.next(
                          directory.taskSet(instanceArn),
                          directory::taskDefinition,
                          channel.alloc());
                  if (message != null) {
                    channel.writeAndFlush(new TextWebSocketFrame(message));
                  }
                });
      }
    }
  }

  /** Handles the frames of one agent channel. */
  private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Session session;

    FrameHandler(Session session) {
      this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        received(session, text.content());
      } else if (frame instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame close) {
        session.handshaker.close(ctx.channel(), close.retain());
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        LOG.warn("no heartbeat from the agent of {}; closing its channel", session.instanceArn);
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("agent channel of {} failed: {}", session.instanceArn, cause.toString());
      ctx.close();
    }
  }
}
