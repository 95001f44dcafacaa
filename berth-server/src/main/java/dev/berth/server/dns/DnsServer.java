package dev.berth.server.dns;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ListenException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's DNS server: answers queries with a {@link DnsResponder} on UDP and TCP at one address and
 * port. On Linux every event-loop thread has its own UDP socket on the port (SO_REUSEPORT), so the
 * kernel spreads queries over the threads without a shared queue.
 */
public final class DnsServer implements AutoCloseable {
  /** The name prefix of the server's threads, e.g. for measuring their CPU time. */
  public static final String THREAD_PREFIX = "berth-dns-";

  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int TCP_IDLE_SECONDS = 30;
  private static final int MAX_QUERY_BYTES = 4096;

  /** How many free ports a server asked for any port tries before it gives up. */
  static final int EPHEMERAL_ATTEMPTS = 5;

  private final EventLoopGroup group;
  private final List<Channel> channels;
  private final InetSocketAddress address;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DnsServer(EventLoopGroup group, List<Channel> channels, InetSocketAddress address) {
    this.group = group;
    this.channels = channels;
    this.address = address;
  }

  /**
   * Starts listening on UDP and TCP at the address with the number of threads given; port 0 picks a
   * free port, the same for both, and picks again a few times if another process holds the number
   * for TCP.
   */
  public static DnsServer start(InetSocketAddress address, DnsResponder responder, int threads)
      throws InterruptedException {
    return start(address, responder, threads, bound -> {});
  }

  /**
   * Starts the server as {@link #start(InetSocketAddress, DnsResponder, int)} does, running the
   * hook between the UDP and the TCP bind of each attempt, so that a test can take the TCP port.
   */
  static DnsServer start(
      InetSocketAddress address,
      DnsResponder responder,
      int threads,
      Consumer<InetSocketAddress> beforeTcpBind)
      throws InterruptedException {
    requireNonNull(address);
    requireNonNull(responder);
    requireNonNull(beforeTcpBind);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    boolean epoll = Epoll.isAvailable();
    ThreadFactory factory = threadFactory();
    EventLoopGroup group =
        epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    boolean started = false;
    try {
      Bootstrap datagrams = datagrams(group, epoll, responder);
      ServerBootstrap streams = streams(group, epoll, responder);
      for (int attempt = 1; ; attempt++) {
        List<Channel> channels = new ArrayList<>();
        try {
          Channel first = ListenException.bind(datagrams, address, ListenException.Purpose.DNS_UDP);
          channels.add(first);
          InetSocketAddress bound = (InetSocketAddress) first.localAddress();
          for (int i = 1; epoll && i < threads; i++) {
            channels.add(ListenException.bind(datagrams, bound, ListenException.Purpose.DNS_UDP));
          }
          beforeTcpBind.accept(bound);
          channels.add(ListenException.bind(streams, bound, ListenException.Purpose.DNS_TCP));
          started = true;
          return new DnsServer(group, List.copyOf(channels), bound);
        } catch (ListenException e) {
          channels.forEach(channel -> channel.close().syncUninterruptibly());
          // The kernel picks a free UDP port, but the same number may be taken for TCP by another
          // process, before or after the UDP bind: a port of our own choosing is tried afresh. A
          // port the caller named is theirs to fix, so it fails at once.
          if (address.getPort() != 0
              || e.purpose() != ListenException.Purpose.DNS_TCP
              || attempt == EPHEMERAL_ATTEMPTS) {
            throw e;
          }
          LOG.debug("DNS: TCP port taken, trying another free port: {}", e.getMessage());
        }
      }
    } finally {
      if (!started) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  private static Bootstrap datagrams(EventLoopGroup group, boolean epoll, DnsResponder responder) {
    Bootstrap datagrams =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.SO_SNDBUF, 4 << 20)
            .handler(new UdpHandler(responder));
    if (epoll) {
      // Read many datagrams per system call (recvmmsg); a query is far below this size.
      datagrams
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_BYTES);
    }
    return datagrams;
  }

  private static ServerBootstrap streams(
      EventLoopGroup group, boolean epoll, DnsResponder responder) {
    return new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new ReadTimeoutHandler(TCP_IDLE_SECONDS, TimeUnit.SECONDS))
                    .addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
                    .addLast(new LengthFieldPrepender(2))
                    .addLast(new TcpHandler(responder));
              }
            });
  }

  /** Returns the address the server listens on, UDP and TCP alike. */
  public InetSocketAddress address() {
    return address;
  }

  /** Stops listening; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channels.forEach(channel -> channel.close().syncUninterruptibly());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, THREAD_PREFIX + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  @ChannelHandler.Sharable
  private static final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final DnsResponder responder;

    UdpHandler(DnsResponder responder) {
      this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      byte[] answer = respond(responder, packet.content(), true);
      if (answer != null) {
        ctx.write(
            new DatagramPacket(Unpooled.wrappedBuffer(answer), packet.sender()), ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      // One flush per batch of datagrams read lets epoll send the answers with one sendmmsg.
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A UDP socket serves everyone: one bad datagram must not close it.
      LOG.debug("DNS over UDP: {}", cause.toString());
    }
  }

  private static final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final DnsResponder responder;

    TcpHandler(DnsResponder responder) {
      this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      byte[] answer = respond(responder, frame, false);
      if (answer == null) {
        ctx.close();
      } else {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("DNS over TCP: {}", cause.toString());
      ctx.close();
    }
  }

  private static byte[] respond(DnsResponder responder, ByteBuf content, boolean udp) {
    try {
      return responder.respond(ByteBufUtil.getBytes(content), udp);
    } catch (RuntimeException e) {
      // A query the responder cannot handle is dropped, as a bad datagram would be.
      LOG.warn("DNS query failed", e);
      return null;
    }
  }
}
