package dev.berth.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a connection to a target: hands the whole response of the request in flight
 * to its exchange, or tells the exchange the connection failed.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  /** The request in flight on a backend connection. */
  interface Exchange {
    /** Called with the target's response; the exchange owns it. */
    void response(FullHttpResponse response);

    /** Called when the connection failed or closed before a response. */
    void failed(Throwable cause);
  }

  private Exchange current;

  /** Sets the exchange the next response belongs to. */
  void start(Exchange exchange) {
    current = exchange;
  }

  /** Forgets the exchange if it is the current one; returns true if it was. */
  boolean clear(Exchange exchange) {
    if (current == exchange) {
      current = null;
      return true;
    }
    return false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange exchange = current;
    current = null;
    if (exchange == null || !(msg instanceof FullHttpResponse response)) {
      // A response nobody asked for: the connection is not trustworthy any more.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    exchange.response(response);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(new java.io.IOException("target closed the connection"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  private void fail(Throwable cause) {
    Exchange exchange = current;
    current = null;
    if (exchange != null) {
      exchange.failed(cause);
    }
  }
}
