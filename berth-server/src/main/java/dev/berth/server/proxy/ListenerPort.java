package dev.berth.server.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.net.InetSocketAddress;

/**
 * A bound listener port: accepts client connections and proxies their requests by the listener's
 * current routes, which are swapped whole when the configuration changes.
 */
final class ListenerPort implements AutoCloseable {
  /** The largest request body the proxy buffers; larger ones get 413. */
  static final int MAX_REQUEST_BYTES = 10 << 20;

  private final int port;
  private final LbSettings settings;
  private final Channel channel;
  private volatile Routes<ProxyAction> routes;

  private ListenerPort(
      int port, LbSettings settings, Routes<ProxyAction> routes, EventLoopGroup group)
      throws InterruptedException {
    this.port = port;
    this.settings = settings;
    this.routes = routes;
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(Transport.serverChannel(group))
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerExpectContinueHandler())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES, true))
                        .addLast(new ProxyFrontend(ListenerPort.this));
                  }
                })
            .bind(new InetSocketAddress(settings.bindAddress(), port))
            .sync()
            .channel();
  }

  /** Binds the port on the settings' address; fails if it is taken. */
  static ListenerPort bind(
      int port, LbSettings settings, Routes<ProxyAction> routes, EventLoopGroup group)
      throws InterruptedException {
    return new ListenerPort(port, settings, routes, group);
  }

  /** Returns the routes in force. */
  Routes<ProxyAction> routes() {
    return routes;
  }

  /** Replaces the routes; requests already routed keep their target. */
  void routes(Routes<ProxyAction> next) {
    routes = next;
  }

  /** Returns the listener's port as the X-Forwarded-Port header carries it. */
  String port() {
    return Integer.toString(port);
  }

  /** Returns the data plane's settings. */
  LbSettings settings() {
    return settings;
  }

  /** Stops accepting; connections already open finish what they do. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
