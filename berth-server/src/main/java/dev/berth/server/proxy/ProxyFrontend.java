package dev.berth.server.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's handler of one client connection: routes each whole request by the listener's rules,
 * sends it to a target over a pooled keep-alive connection of the same event loop, and writes the
 * answer back, in order (pipelined requests wait their turn). It answers 502 when the target fails,
 * 503 when the target group has no healthy target and 504 when the target does not answer in time.
 */
final class ProxyFrontend extends ChannelInboundHandlerAdapter {
  static final int MAX_RESPONSE_BYTES = 64 << 20;

  private final ListenerPort listener;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean busy;

  ProxyFrontend(ListenerPort listener) {
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (busy) {
      waiting.add(request);
      return;
    }
    serve(request);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    FullHttpRequest request;
    while ((request = waiting.poll()) != null) {
      request.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    context.close();
  }

  private void serve(FullHttpRequest request) {
    busy = true;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      request.release();
      answer(generated(HttpResponseStatus.BAD_REQUEST), false);
      return;
    }
    ProxyAction action =
        listener.routes().match(request.headers().get(HttpHeaderNames.HOST), request.uri());
    if (action.isFixed()) {
      request.release();
      answer(fixed(action), keepAlive);
      return;
    }
    TargetGroupRuntime group = action.group();
    TargetRuntime target = group == null ? null : group.pick();
    if (target == null) {
      request.release();
      answer(generated(HttpResponseStatus.SERVICE_UNAVAILABLE), keepAlive);
      return;
    }
    prepare(request);
    target.begin();
    new Forward(request, target, keepAlive).send(true);
  }

  /** Sets the X-Forwarded headers and drops hop-by-hop headers before the request leaves. */
  private void prepare(FullHttpRequest request) {
    HttpHeaders headers = request.headers();
    String client =
        ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    String forwardedFor = headers.get("X-Forwarded-For");
    headers.set("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
    headers.set("X-Forwarded-Proto", "http");
    headers.set("X-Forwarded-Port", listener.port());
    stripHopByHop(headers);
    HttpUtil.setContentLength(request, request.content().readableBytes());
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  private static void stripHopByHop(HttpHeaders headers) {
    String connection = headers.get(HttpHeaderNames.CONNECTION);
    if (connection != null) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()
            && !name.equalsIgnoreCase("close")
            && !name.equalsIgnoreCase("keep-alive")) {
          headers.remove(name);
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    headers.remove(HttpHeaderNames.KEEP_ALIVE);
    headers.remove("Proxy-Connection");
    headers.remove(HttpHeaderNames.TE);
    headers.remove(HttpHeaderNames.TRAILER);
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    headers.remove(HttpHeaderNames.UPGRADE);
  }

  /** One request on its way to one target; may try a fresh connection once after a stale one. */
  private final class Forward implements BackendHandler.Exchange {
    private final FullHttpRequest request;
    private final TargetRuntime target;
    private final boolean keepAlive;
    private Channel backend;
    private boolean reused;
    private ScheduledFuture<?> timeout;
    private boolean done;

    Forward(FullHttpRequest request, TargetRuntime target, boolean keepAlive) {
      this.request = request;
      this.target = target;
      this.keepAlive = keepAlive;
    }

    void send(boolean mayReuse) {
      Channel pooled = mayReuse ? target.pollIdle(ctx.channel().eventLoop()) : null;
      if (pooled != null) {
        reused = true;
        write(pooled);
        return;
      }
      reused = false;
      ChannelFuture connect =
          new Bootstrap()
              .group(ctx.channel().eventLoop())
              .channel(Transport.socketChannel(ctx.channel().eventLoop()))
              .option(ChannelOption.TCP_NODELAY, true)
              .option(
                  ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  (int) listener.settings().connectTimeout().toMillis())
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new HttpClientCodec())
                          .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                          .addLast(new BackendHandler());
                    }
                  })
              .connect(target.socketAddress);
      connect.addListener(
          (ChannelFuture connected) -> {
            if (connected.isSuccess()) {
              write(connected.channel());
            } else {
              finish(
                  connected.cause() instanceof ConnectTimeoutException
                      ? HttpResponseStatus.GATEWAY_TIMEOUT
                      : HttpResponseStatus.BAD_GATEWAY);
            }
          });
    }

    private void write(Channel channel) {
      backend = channel;
      BackendHandler handler = channel.pipeline().get(BackendHandler.class);
      handler.start(this);
      timeout =
          channel
              .eventLoop()
              .schedule(
                  this::timedOut,
                  listener.settings().targetTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
      channel
          .writeAndFlush(request.retainedDuplicate())
          .addListener(
              (ChannelFuture written) -> {
                if (!written.isSuccess() && handler.clear(this)) {
                  failed(written.cause());
                }
              });
    }

    private void timedOut() {
      BackendHandler handler = backend.pipeline().get(BackendHandler.class);
      if (!done && handler != null && handler.clear(this)) {
        backend.close();
        finish(HttpResponseStatus.GATEWAY_TIMEOUT);
      }
    }

    @Override
    public void response(FullHttpResponse response) {
      if (done) {
        response.release();
        return;
      }
      done = true;
      timeout.cancel(false);
      boolean reusable = HttpUtil.isKeepAlive(response);
      stripHopByHop(response.headers());
      if (reusable) {
        target.offerIdle(backend);
      } else {
        backend.close();
      }
      target.end();
      request.release();
      answer(response, keepAlive);
    }

    @Override
    public void failed(Throwable cause) {
      if (done) {
        return;
      }
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (backend != null) {
        backend.close();
      }
      if (reused && isIdempotent(request.method())) {
        // A pooled connection the target had already closed: try once more on a new one.
        send(false);
        return;
      }
      finish(HttpResponseStatus.BAD_GATEWAY);
    }

    private void finish(HttpResponseStatus status) {
      if (done) {
        return;
      }
      done = true;
      target.end();
      request.release();
      answer(generated(status), keepAlive);
    }
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET
        || method == HttpMethod.HEAD
        || method == HttpMethod.PUT
        || method == HttpMethod.DELETE
        || method == HttpMethod.OPTIONS;
  }

  /** Writes an answer, then serves the next waiting request or closes the connection. */
  private void answer(FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && !HttpUtil.isTransferEncodingChunked(response)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      busy = true;
      FullHttpRequest request;
      while ((request = waiting.poll()) != null) {
        request.release();
      }
      return;
    }
    busy = false;
    FullHttpRequest next = waiting.poll();
    if (next != null) {
      serve(next);
    }
  }

  private static FullHttpResponse fixed(ProxyAction action) {
    byte[] body =
        action.fixedBody() == null
            ? new byte[0]
            : action.fixedBody().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(action.fixedStatus()),
            Unpooled.wrappedBuffer(body));
    if (action.fixedContentType() != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, action.fixedContentType());
    }
    response.headers().set(HttpHeaderNames.SERVER, "awselb/2.0");
    return response;
  }

  /** Returns an answer of the load balancer itself, with a body like ELB's. */
  static FullHttpResponse generated(HttpResponseStatus status) {
    String text = status.code() + " " + status.reasonPhrase();
    String html =
        "<html>\r\n<head><title>"
            + text
            + "</title></head>\r\n<body>\r\n<center><h1>"
            + text
            + "</h1></center>\r\n</body>\r\n</html>\r\n";
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.US_ASCII)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
    response.headers().set(HttpHeaderNames.SERVER, "awselb/2.0");
    return response;
  }
}
