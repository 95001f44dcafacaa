package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Ids;
import dev.berth.api.ProtocolErrors;
import dev.berth.server.ListenException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP listener of the front door, on Netty, in plain HTTP or TLS: reads whole requests up to a
 * size limit (refusing larger bodies, and bodies whose headers already fail SigV4, before reading
 * them), hands them to the {@link FrontDoor} and writes its answers, keeping connections alive as
 * clients ask within the {@link ConnectionLimits}.
 */
public final class ApiServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;
  private final ConnectionGate gate;

  private ApiServer(EventLoopGroup group, Channel channel, ConnectionGate gate) {
    this.group = group;
    this.channel = channel;
    this.gate = gate;
  }

  /** Returns how many connections are open on the port. */
  public int openConnections() {
    return gate.open();
  }

  /**
   * Starts listening on the address given, in plain HTTP with the default connection limits; port 0
   * picks a free port. {@code GET /health} answers 200 "ok", or 503 with the problem that {@code
   * healthProblem} returns when it returns one.
   */
  public static ApiServer start(
      InetSocketAddress address,
      FrontDoor frontDoor,
      int maxBodyBytes,
      List<UpgradeEndpoint> upgrades,
      Supplier<String> healthProblem)
      throws InterruptedException {
    return start(
        address,
        frontDoor,
        maxBodyBytes,
        ConnectionLimits.defaults(),
        null,
        upgrades,
        healthProblem);
  }

  /**
   * Starts listening on the address given with the connection limits given, in TLS with {@code tls}
   * or in plain HTTP when it is null.
   */
  public static ApiServer start(
      InetSocketAddress address,
      FrontDoor frontDoor,
      int maxBodyBytes,
      ConnectionLimits limits,
      SslContext tls,
      List<UpgradeEndpoint> upgrades,
      Supplier<String> healthProblem)
      throws InterruptedException {
    requireNonNull(healthProblem);
    requireNonNull(limits);
    Map<String, UpgradeEndpoint> upgradesByPath = new HashMap<>();
    upgrades.forEach(endpoint -> upgradesByPath.put(endpoint.path(), endpoint));
    requireNonNull(address);
    requireNonNull(frontDoor);
    ConnectionGate gate = new ConnectionGate(limits.maxConnections());
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      RequestDeadlines deadlines = new RequestDeadlines(limits, gate);
                      ChannelPipeline pipeline = ch.pipeline();
                      pipeline.addLast(gate).addLast(deadlines.bytes());
                      if (tls != null) {
                        pipeline.addLast(tls.newHandler(ch.alloc()));
                      }
                      pipeline
                          .addLast(new HttpServerCodec())
                          .addLast(deadlines.messages())
                          .addLast(new HttpServerKeepAliveHandler())
                          // Before the aggregator: a stranger's body is refused, not buffered.
                          .addLast(new EarlyAuthentication(frontDoor, maxBodyBytes))
                          .addLast(new LimitedAggregator(maxBodyBytes))
                          .addLast(new RequestHandler(frontDoor, upgradesByPath, healthProblem));
                    }
                  });
      Channel channel = ListenException.bind(bootstrap, address, ListenException.Purpose.API);
      return new ApiServer(group, channel, gate);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully();
      throw e;
    }
  }

  /** Returns the address the server listens on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Aggregates a request's body, answering an over-long one with AWS's error before reading it. */
  private static final class LimitedAggregator extends HttpObjectAggregator {
    private final int limit;

    LimitedAggregator(int limit) {
      super(limit);
      this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      // The rest of the body is not read; close once the answer is out.
      ctx.writeAndFlush(tooLarge()).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected Object newContinueResponse(
        HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      // A client that waits for 100-continue gets AWS's error instead of Netty's empty 413.
      if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > limit) {
        start.headers().remove(HttpHeaderNames.EXPECT);
        return tooLarge();
      }
      return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    private FullHttpResponse tooLarge() {
      ApiResponse error =
          FrontDoor.error(
              Ids.uuid().toString(),
              "application/x-amz-json-1.1",
              ProtocolErrors.requestEntityTooLarge(limit));
      return toNetty(error, false);
    }
  }

  /** Turns a whole HTTP request into an {@link ApiRequest} and writes the front door's answer. */
  private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final FrontDoor frontDoor;
    private final Map<String, UpgradeEndpoint> upgrades;
    private final Supplier<String> healthProblem;

    RequestHandler(
        FrontDoor frontDoor,
        Map<String, UpgradeEndpoint> upgrades,
        Supplier<String> healthProblem) {
      this.frontDoor = frontDoor;
      this.upgrades = upgrades;
      this.healthProblem = healthProblem;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!request.decoderResult().isSuccess()) {
        ctx.writeAndFlush(plain(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request.\n"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      String uri = request.uri();
      int question = uri.indexOf('?');
      String rawPath = question < 0 ? uri : uri.substring(0, question);
      String rawQuery = question < 0 ? null : uri.substring(question + 1);
      if ("GET".equals(request.method().name()) && "/health".equals(rawPath)) {
        String problem = healthProblem.get();
        writeAnswer(
            ctx,
            problem == null
                ? plain(HttpResponseStatus.OK, "ok\n")
                : plain(HttpResponseStatus.SERVICE_UNAVAILABLE, problem + "\n"),
            keepAlive);
        return;
      }
      Map<String, List<String>> headers = EarlyAuthentication.lowerCaseNames(request.headers());
      byte[] body = ByteBufUtil.getBytes(request.content());
      ApiRequest apiRequest =
          new ApiRequest(request.method().name(), rawPath, rawQuery, headers, body);
      UpgradeEndpoint upgrade = upgrades.get(rawPath);
      if (upgrade != null) {
        upgrade.upgrade(ctx, request, apiRequest);
        return;
      }
      // The answer is rendered on this connection's event loop, not on the thread that completes
      // it (a state writer, which every later command of its cluster waits behind).
      frontDoor
          .handle(apiRequest, ctx.executor())
          .thenAccept(response -> writeAnswer(ctx, toNetty(response, keepAlive), keepAlive));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private static void writeAnswer(
        ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
      HttpUtil.setKeepAlive(response, keepAlive);
      if (keepAlive) {
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static FullHttpResponse plain(HttpResponseStatus status, String text) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  static FullHttpResponse toNetty(ApiResponse answer, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    answer.headers().forEach((name, value) -> response.headers().set(name, value));
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }
}
