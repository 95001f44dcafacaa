package dev.berth.server.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP health check: a new connection, {@code GET path}, and the answer's status against the
 * matcher within the timeout. The outcome carries ELB's reason code when the check fails.
 */
final class HealthProbe {
  /** How a check ended: passed, or failed with ELB's reason code and description. */
  record Outcome(boolean passed, String reason, String description) {
    static final Outcome PASSED = new Outcome(true, null, null);
  }

  /** Receives the outcome of a check, on the check's event loop. */
  interface Callback {
    void done(Outcome outcome);
  }

  private HealthProbe() {}

  /** Runs a check of the target on the loop; the callback is called exactly once. */
  static void run(
      EventLoop loop, InetSocketAddress target, LbConfig.HealthCheck check, Callback callback) {
    boolean[] finished = new boolean[1];
    Callback once =
        outcome -> {
          if (!finished[0]) {
            finished[0] = true;
            callback.done(outcome);
          }
        };
    long timeoutMillis = check.timeout().toMillis();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(Transport.socketChannel(loop))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(new ResponseHandler(check, once));
                  }
                });
    ChannelFuture connect = bootstrap.connect(target);
    Channel channel = connect.channel();
    var timeout =
        loop.schedule(
            () -> {
              once.done(new Outcome(false, "Target.Timeout", "Request timed out"));
              channel.close();
            },
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> timeout.cancel(false));
    connect.addListener(
        (ChannelFuture done) -> {
          if (!done.isSuccess()) {
            once.done(new Outcome(false, "Target.FailedHealthChecks", "Health checks failed"));
            return;
          }
          FullHttpRequest request =
              new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
          request
              .headers()
              .set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort());
          request.headers().set(HttpHeaderNames.USER_AGENT, "ELB-HealthChecker/2.0");
          request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
          done.channel().writeAndFlush(request);
        });
  }

  private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final LbConfig.HealthCheck check;
    private final Callback callback;

    ResponseHandler(LbConfig.HealthCheck check, Callback callback) {
      this.check = check;
      this.callback = callback;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      int status = response.status().code();
      if (check.matcher().matches(status)) {
        callback.done(Outcome.PASSED);
      } else {
        callback.done(
            new Outcome(
                false,
                "Target.ResponseCodeMismatch",
                "Health checks failed with these codes: [" + status + "]"));
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      callback.done(new Outcome(false, "Target.FailedHealthChecks", "Health checks failed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      callback.done(new Outcome(false, "Target.FailedHealthChecks", "Health checks failed"));
      ctx.close();
    }
  }
}
