package dev.berth.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/** Netty's native epoll transport where Linux offers it, else NIO. */
final class Transport {
  private Transport() {}

  /** Returns a new event loop group of the given size. */
  static EventLoopGroup group(int threads, ThreadFactory factory) {
    return Epoll.isAvailable()
        ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  /** Returns the server channel class that fits the group. */
  static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup
        ? EpollServerSocketChannel.class
        : NioServerSocketChannel.class;
  }

  /** Returns the client channel class that fits the loop's group. */
  static Class<? extends Channel> socketChannel(EventLoopGroup loop) {
    EventLoopGroup parent =
        loop instanceof io.netty.channel.EventLoop eventLoop && eventLoop.parent() != null
            ? eventLoop.parent()
            : loop;
    return parent instanceof EpollEventLoopGroup
        ? EpollSocketChannel.class
        : NioSocketChannel.class;
  }
}
