package dev.berth.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.agent.channel.ChannelClient;
import dev.berth.api.agent.AgentChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One container instance's agent as the benchmarks simulate it: it keeps the real agent channel
 * open (a SigV4-presigned WebSocket, as {@code ChannelClient} opens it) and reports every task the
 * server asks it to run, once, as RUNNING on that channel, and every task it asks it to stop, once,
 * as STOPPED; the changes of one task set message ({@value AgentChannel#TASKS} or {@value
 * AgentChannel#TASK_CHANGES}: it needs only their entries, not the whole set) go in one {@value
 * AgentChannel#STATE_CHANGES} message, and a heartbeat goes every {@value
 * AgentChannel#HEARTBEAT_SECONDS} seconds.
 *
 * <p>The channel is a Netty one, on the event loop its {@link Bootstrap} gives it: thousands of
 * agents share a thread or two, each message is read from and written to the socket's buffers on
 * that thread, and nothing is handed between threads. The JDK's WebSocket, used before, passed
 * every frame between its selector thread and an executor and decoded it into a String first, which
 * cost the agents' process most of its CPU time.
 *
 * <p>Over 400 lines: the WebSocket handshake, framing and the agent's answers share the one
 * event-loop thread and its buffers, which is the point of the class.
 */
final class SimulatedAgent implements AutoCloseable {
  private static final int MAX_FRAME_BYTES = 64 << 20;
  private static final long HANDSHAKE_SECONDS = 30;
  // Messages are read without the shared mapper's duplicate detection, which keeps a set of the
  // names of every object: the server's messages are not what it guards against.
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final byte[] HEARTBEAT =
      ("{\"type\":\"" + AgentChannel.HEARTBEAT + "\"}").getBytes(StandardCharsets.UTF_8);

  private final String cluster;
  private final String instanceArn;
  private final String containerName;
  private final LongAdder acknowledged;
  private final LongAdder refused;
  private final CountDownLatch firstTaskSet;
  // Used on the channel's event-loop thread only.
  private final Set<String> seen = new HashSet<>();
  private final Set<String> stopped = new HashSet<>();
  private long nextBatch;
  private boolean opened;
  private volatile Channel channel;

  /**
   * Creates the agent of the instance, whose tasks have one container of that name; each task the
   * server sends with desiredStatus RUNNING is reported RUNNING once, and each with desiredStatus
   * STOPPED is reported STOPPED once; each change is counted in {@code acknowledged} or {@code
   * refused} by the server's answer. {@code firstTaskSet} is counted down when the first task set
   * arrives, which shows the server has opened the session.
   */
  SimulatedAgent(
      String cluster,
      String instanceArn,
      String containerName,
      LongAdder acknowledged,
      LongAdder refused,
      CountDownLatch firstTaskSet) {
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.containerName = requireNonNull(containerName);
    this.acknowledged = requireNonNull(acknowledged);
    this.refused = requireNonNull(refused);
    this.firstTaskSet = requireNonNull(firstTaskSet);
  }

  /**
   * Opens the channel with a connection from the bootstrap, whose pipeline frames HTTP and
   * WebSocket messages ({@link AgentFleet} makes it); the returned stage completes when the
   * WebSocket is open, or exceptionally if it cannot be opened within 30 seconds.
   */
  CompletableFuture<Void> connect(
      Bootstrap bootstrap, URI endpoint, String region, AwsCredentialsProvider credentials) {
    URI uri = ChannelClient.presignedUri(endpoint, region, credentials, cluster, instanceArn);
    // Without an Origin header, as the JDK's client and the real agent send none.
    WebSocketClientHandshaker handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri,
            WebSocketVersion.V13,
            null,
            false,
            EmptyHttpHeaders.INSTANCE,
            MAX_FRAME_BYTES,
            true,
            false,
            -1,
            false,
            false);
    CompletableFuture<Void> open = new CompletableFuture<>();
    int port = uri.getPort() >= 0 ? uri.getPort() : 80;
    bootstrap
        .connect(uri.getHost(), port)
        .addListener(
            (ChannelFutureListener)
                connecting -> {
                  if (!connecting.isSuccess()) {
                    open.completeExceptionally(connecting.cause());
                    return;
                  }
                  Channel connected = connecting.channel();
                  channel = connected;
                  connected.pipeline().addLast(new Handler(handshaker, open));
                  handshaker
                      .handshake(connected)
                      .addListener(
                          sent -> {
                            if (!sent.isSuccess()) {
                              open.completeExceptionally(sent.cause());
                              connected.close();
                            }
                          });
                  var timeout =
                      connected
                          .eventLoop()
                          .schedule(
                              () -> {
                                if (open.completeExceptionally(
                                    new IOException(
                                        "no WebSocket handshake in "
                                            + HANDSHAKE_SECONDS
                                            + " seconds"))) {
                                  connected.close();
                                }
                              },
                              HANDSHAKE_SECONDS,
                              TimeUnit.SECONDS);
                  open.whenComplete((done, failure) -> timeout.cancel(false));
                });
    return open;
  }

  /** Closes the channel. */
  @Override
  public void close() {
    Channel current = channel;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Reads a message as a stream, keeping only each task's ARN and statuses, the ARNs of removed
   * tasks and each result's kind: task set messages dominate the traffic, and a tree per message
   * would cost the benchmark's process more than the server spends writing them.
   */
  private void handle(ChannelHandlerContext ctx, ByteBuf content) {
    String type = null;
    List<String> toRun = new ArrayList<>();
    List<String> toStop = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    int acks = 0;
    int refusals = 0;
    try (InputStream in = new ByteBufInputStream(content);
        JsonParser parser = JSON.createParser(in)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "type" -> type = parser.getText();
          case "tasks" -> {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              readEntry(parser, toRun, toStop);
            }
          }
          case "removed" -> {
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
              removed.add(parser.getText());
            }
          }
          case "results" -> {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              boolean acknowledgment = false;
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                acknowledgment |= "acknowledgment".equals(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
              }
              if (acknowledgment) {
                acks++;
              } else {
                refusals++;
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      System.err.println("simulated agent cannot read a channel message: " + e);
      return;
    } finally {
      if (!opened) {
        opened = true;
        firstTaskSet.countDown();
      }
    }
    if (AgentChannel.TASKS.equals(type) || AgentChannel.TASK_CHANGES.equals(type)) {
      report(ctx, toRun, toStop);
      // A task leaves the set once STOPPED and never comes back: forgetting it keeps the sets as
      // small as the instance's task set.
      for (String arn : removed) {
        seen.remove(arn);
        stopped.remove(arn);
      }
    } else if (AgentChannel.STATE_CHANGE_RESULTS.equals(type)) {
      acknowledged.add(acks);
      refused.add(refusals);
    }
  }

  /**
   * Reads one {@code {"task":..., "taskDefinition":...}} entry of a task set, adding the task's ARN
   * to {@code toRun} if its desiredStatus is RUNNING and its lastStatus not yet, or to {@code
   * toStop} if its desiredStatus is STOPPED and its lastStatus not yet.
   */
  private static void readEntry(JsonParser parser, List<String> toRun, List<String> toStop)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      parser.nextToken();
      if (!"task".equals(member)) {
        parser.skipChildren();
        continue;
      }
      String arn = null;
      String desired = null;
      String last = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        switch (name) {
          case "taskArn" -> arn = parser.getText();
          case "desiredStatus" -> desired = parser.getText();
          case "lastStatus" -> last = parser.getText();
          default -> parser.skipChildren();
        }
      }
      if (arn != null && "RUNNING".equals(desired) && !"RUNNING".equals(last)) {
        toRun.add(arn);
      } else if (arn != null
          && "STOPPED".equals(desired)
          && !"STOPPED".equals(last)
          && !"DEACTIVATING".equals(last)) {
        toStop.add(arn);
      }
    }
  }

  /**
   * Reports the tasks to run and to stop that were not reported so before, as RUNNING and STOPPED,
   * in one message written straight into the frame's buffer.
   */
  private void report(ChannelHandlerContext ctx, List<String> toRun, List<String> toStop) {
    List<String> running = new ArrayList<>(toRun.size());
    for (String arn : toRun) {
      if (seen.add(arn)) {
        running.add(arn);
      }
    }
    List<String> stopping = new ArrayList<>(toStop.size());
    for (String arn : toStop) {
      if (stopped.add(arn)) {
        stopping.add(arn);
      }
    }
    if (running.isEmpty() && stopping.isEmpty()) {
      return;
    }
    ByteBuf buffer = ctx.alloc().buffer(256 * (running.size() + stopping.size()) + 64);
    try (OutputStream out = new ByteBufOutputStream(buffer);
        JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("type", AgentChannel.STATE_CHANGES);
      json.writeNumberField("id", ++nextBatch);
      json.writeArrayFieldStart("changes");
      for (String arn : running) {
        writeChange(json, arn, "RUNNING");
      }
      for (String arn : stopping) {
        writeChange(json, arn, "STOPPED");
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException | RuntimeException e) {
      buffer.release();
      System.err.println("simulated agent cannot write its state changes: " + e);
      return;
    }
    ctx.writeAndFlush(new TextWebSocketFrame(buffer));
  }

  private void writeChange(JsonGenerator json, String arn, String status) throws IOException {
    json.writeStartObject();
    json.writeStringField("cluster", cluster);
    json.writeStringField("task", arn);
    json.writeStringField("status", status);
    json.writeArrayFieldStart("containers");
    json.writeStartObject();
    json.writeStringField("containerName", containerName);
    json.writeStringField("runtimeId", "sim-" + arn.substring(arn.lastIndexOf('/') + 1));
    json.writeStringField("status", status);
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * The last handler of the agent's channel: finishes the handshake, then starts the heartbeats and
   * hands each whole text message to the agent.
   */
  private final class Handler extends SimpleChannelInboundHandler<Object> {
    private final WebSocketClientHandshaker handshaker;
    private final CompletableFuture<Void> open;
    private ScheduledFuture<?> heartbeats;

    Handler(WebSocketClientHandshaker handshaker, CompletableFuture<Void> open) {
      this.handshaker = handshaker;
      this.open = open;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
      if (!handshaker.isHandshakeComplete()) {
        if (message instanceof FullHttpResponse response) {
          try {
            handshaker.finishHandshake(ctx.channel(), response);
          } catch (RuntimeException e) {
            open.completeExceptionally(e);
            ctx.close();
            return;
          }
          heartbeats =
              ctx.executor()
                  .scheduleAtFixedRate(
                      () -> heartbeat(ctx),
                      AgentChannel.HEARTBEAT_SECONDS,
                      AgentChannel.HEARTBEAT_SECONDS,
                      TimeUnit.SECONDS);
          open.complete(null);
        }
        return;
      }
      if (message instanceof TextWebSocketFrame text) {
        handle(ctx, text.content());
      } else if (message instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (message instanceof CloseWebSocketFrame) {
        ctx.close();
      }
    }

    private void heartbeat(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(HEARTBEAT)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.completeExceptionally(new IOException("the channel closed before its handshake"));
      if (heartbeats != null) {
        heartbeats.cancel(false);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A reset is how the channels end when the benchmark's server stops first.
      if (!open.completeExceptionally(cause) && !(cause instanceof IOException)) {
        System.err.println("simulated agent's channel failed: " + cause);
      }
      ctx.close();
    }
  }
}
