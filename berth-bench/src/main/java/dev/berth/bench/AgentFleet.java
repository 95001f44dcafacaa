package dev.berth.bench;

import dev.berth.server.ServerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The simulated agents of a benchmark in one process: their channels share the event-loop threads
 * {@code bench-agents-N}, each sends a heartbeat every {@value
 * dev.berth.api.agent.AgentChannel#HEARTBEAT_SECONDS} seconds, and the fleet counts the server's
 * answers to their state reports.
 */
final class AgentFleet implements AutoCloseable {
  // One thread carries thousands of channels' frames at the benchmarks' rates, and every thread
  // more would take CPU time from the server the benchmark measures, on a machine of two cores.
  private static final int THREADS = 1;
  private static final int MAX_CONNECTING = 256;
  private static final int MAX_HANDSHAKE_BYTES = 64 << 10;
  private static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final List<SimulatedAgent> agents = new ArrayList<>();
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;

  /** Creates a fleet without agents, and starts its event-loop threads. */
  AgentFleet() {
    AtomicInteger next = new AtomicInteger();
    ThreadFactory threads =
        task -> {
          Thread thread = new FastThreadLocalThread(task, "bench-agents-" + next.getAndIncrement());
          thread.setDaemon(true);
          return thread;
        };
    boolean epoll = Epoll.isAvailable();
    this.group =
        epoll ? new EpollEventLoopGroup(THREADS, threads) : new NioEventLoopGroup(THREADS, threads);
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // The handshake replaces the HTTP handlers with WebSocket ones, before the
                    // frame aggregator; each agent adds its own handler last.
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                        .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                  }
                });
  }

  /**
   * Opens the agent channel of each instance of the cluster, whose tasks have one container of that
   * name; returns once every channel has had its first task set.
   */
  void connect(
      URI endpoint,
      AwsCredentialsProvider credentials,
      String cluster,
      String container,
      List<String> arns)
      throws Exception {
    CountDownLatch opened = new CountDownLatch(arns.size());
    // Bounds the handshakes in flight, so thousands of agents do not all time out at once.
    Semaphore connecting = new Semaphore(MAX_CONNECTING);
    List<CompletableFuture<?>> handshakes = new ArrayList<>();
    for (String arn : arns) {
      SimulatedAgent agent =
          new SimulatedAgent(cluster, arn, container, acknowledged, refused, opened);
      agents.add(agent);
      connecting.acquire();
      handshakes.add(
          agent
              .connect(bootstrap, endpoint, ServerConfig.DEFAULT_REGION, credentials)
              .whenComplete((open, failure) -> connecting.release()));
    }
    try {
      CompletableFuture.allOf(handshakes.toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (String.valueOf(cause.getMessage()).contains("Too many open files")) {
          throw new IllegalStateException(
              "out of open files while opening "
                  + arns.size()
                  + " agent channels: "
                  + PlacementBenchmark.FILES_HINT,
              e);
        }
      }
      throw e;
    }
    if (!opened.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException(opened.getCount() + " agent channels got no task set");
    }
  }

  /** Returns the number of channels opened. */
  int size() {
    return agents.size();
  }

  /** Returns the state changes the server has acknowledged. */
  long acknowledged() {
    return acknowledged.sum();
  }

  /** Returns the state changes the server has refused. */
  long refused() {
    return refused.sum();
  }

  /** Closes every channel and stops the event-loop threads. */
  @Override
  public void close() {
    agents.forEach(SimulatedAgent::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
