package dev.berth.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Calls ECS operations the way the AWS SDK puts them on the wire (AWS JSON 1.1 over HTTP/1.1, with
 * the SigV4 signature the SDK's signer gives) without the SDK's client pipeline and model objects,
 * whose cost per call would otherwise rival the server's in a benchmark that runs both on one
 * machine.
 *
 * <p>Each {@link Connection} is one keep-alive HTTP/1.1 connection on Netty (the server's own HTTP
 * stack, so no new library): {@link HttpClientCodec} and {@link HttpObjectAggregator} frame the
 * exchanges, an {@link EcsRequestSigner} of its own signs each call, and the caller reads the
 * answer as a stream of JSON tokens rather than a tree. All connections share one event-loop
 * thread, on which each answer is read and from which a caller may send its next call, so no thread
 * hands an exchange to another. The JDK's {@code HttpClient}, used before, passed each exchange
 * from the caller to its selector thread and worker pool and back to the caller, and with the SDK's
 * signer and the answer read as a tree it cost about a quarter of the placement benchmark's two
 * cores.
 */
final class SignedEcsCaller implements AutoCloseable {
  private static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
  private static final AsciiString X_AMZ_TARGET = AsciiString.cached("X-Amz-Target");
  private static final AsciiString X_AMZ_DATE = AsciiString.cached("X-Amz-Date");
  private static final AsciiString X_AMZ_CONTENT_SHA256 =
      AsciiString.cached("X-Amz-Content-Sha256");
  private static final AsciiString X_AMZ_SECURITY_TOKEN =
      AsciiString.cached("X-Amz-Security-Token");
  private static final AsciiString CONTENT_TYPE = AsciiString.cached(EcsRequestSigner.CONTENT_TYPE);
  private static final int MAX_ANSWER_BYTES = 64 << 20;
  // Answers are read without the shared mapper's duplicate detection, which keeps a set of the
  // names of every object: the server's answers are not what it guards against.
  private static final JsonFactory ANSWERS = JsonFactory.builder().build();

  private final URI endpoint;
  private final String host;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;

  /** Creates a caller of the endpoint that signs for the region with the credentials. */
  SignedEcsCaller(URI endpoint, String region, AwsCredentialsProvider credentials) {
    if (!"http".equals(requireNonNull(endpoint).getScheme())) {
      throw new IllegalArgumentException("only http endpoints are supported: " + endpoint);
    }
    this.endpoint = endpoint;
    // As the SDK signs it: with the port unless it is the scheme's own.
    this.host =
        endpoint.getPort() < 0 || endpoint.getPort() == 80
            ? endpoint.getHost()
            : endpoint.getHost() + ":" + endpoint.getPort();
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
    DefaultThreadFactory threads = new DefaultThreadFactory("bench-client", true);
    boolean epoll = Epoll.isAvailable();
    this.group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(MAX_ANSWER_BYTES))
                        .addLast(new Exchanges());
                  }
                });
  }

  /** Opens a keep-alive connection to the endpoint. */
  Connection connect() throws IOException, InterruptedException {
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : 80;
    var connecting = bootstrap.connect(endpoint.getHost(), port).await();
    if (!connecting.isSuccess()) {
      throw new IOException("cannot connect to " + endpoint, connecting.cause());
    }
    return new Connection(
        connecting.channel(),
        new EcsRequestSigner(host, region, "ecs", credentials, Clock.systemUTC()));
  }

  /** Returns the CPU time the event-loop thread has used so far, in nanoseconds. */
  long cpuNanos() throws InterruptedException, ExecutionException {
    return group.submit(() -> ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()).get();
  }

  /** Closes every connection and stops the event-loop thread. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Reads an operation's answer from its JSON tokens. */
  @FunctionalInterface
  interface AnswerReader<T> {
    /** Returns what the answer says, read from the parser before its first token. */
    T read(JsonParser parser) throws IOException;
  }

  /** One keep-alive connection, which carries one call at a time. */
  final class Connection {
    private final Channel channel;
    // Used on the channel's event-loop thread only.
    private final EcsRequestSigner signer;

    private Connection(Channel channel, EcsRequestSigner signer) {
      this.channel = channel;
      this.signer = signer;
    }

    /**
     * Sends the signed call with the JSON input; completes with what the reader reads from a 200
     * answer, or exceptionally with the status and body of any other answer. The future completes
     * on the connection's event-loop thread, from which the next call may be sent at once.
     */
    <T> CompletableFuture<T> call(String operation, byte[] input, AnswerReader<T> reader) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      Exchange<T> exchange = new Exchange<>(operation, reader, answer);
      if (channel.eventLoop().inEventLoop()) {
        send(exchange, input);
      } else {
        channel.eventLoop().execute(() -> send(exchange, input));
      }
      return answer;
    }

    private void send(Exchange<?> exchange, byte[] input) {
      Exchanges exchanges = channel.pipeline().get(Exchanges.class);
      if (!channel.isActive() || exchanges == null) {
        exchange.fail(new IOException(exchange.operation() + ": the connection is closed"));
        return;
      }
      FullHttpRequest request;
      try {
        request = request(exchange.operation(), input);
      } catch (RuntimeException e) {
        exchange.fail(e);
        return;
      }
      if (!exchanges.begin(exchange)) {
        request.release();
        exchange.fail(new IllegalStateException("a call is already in flight on this connection"));
        return;
      }
      channel
          .writeAndFlush(request)
          .addListener(
              written -> {
                if (!written.isSuccess()) {
                  exchanges.failPending(written.cause());
                }
              });
    }

    /** Returns the HTTP request for the call, signed. */
    private FullHttpRequest request(String operation, byte[] input) {
      String target = TARGET_PREFIX + operation;
      EcsRequestSigner.Signature signature = signer.sign(target, input);
      FullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(input));
      // The connection is kept alive, which HTTP/1.1 assumes.
      request
          .headers()
          .set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, input.length)
          .set(X_AMZ_TARGET, target)
          .set(X_AMZ_DATE, signature.amzDate())
          .set(X_AMZ_CONTENT_SHA256, signature.contentSha256())
          .set(HttpHeaderNames.AUTHORIZATION, signature.authorization());
      if (signature.securityToken() != null) {
        request.headers().set(X_AMZ_SECURITY_TOKEN, signature.securityToken());
      }
      return request;
    }
  }

  /** A call in flight: what reads its answer, and the future that the answer completes. */
  private record Exchange<T>(
      String operation, AnswerReader<T> reader, CompletableFuture<T> answer) {
    void complete(FullHttpResponse response) {
      if (!response.status().equals(HttpResponseStatus.OK)) {
        fail(
            new IOException(
                operation
                    + " answered "
                    + response.status().code()
                    + ": "
                    + response.content().toString(StandardCharsets.UTF_8)));
        return;
      }
      T read;
      InputStream body = new ByteBufInputStream(response.content());
      try (JsonParser parser = ANSWERS.createParser(body)) {
        read = reader.read(parser);
      } catch (IOException | RuntimeException e) {
        fail(new IOException(operation + " answered what cannot be read: " + e.getMessage(), e));
        return;
      }
      answer.complete(read);
    }

    void fail(Throwable cause) {
      answer.completeExceptionally(cause);
    }
  }

  /** The last handler of a connection: hands each answer to the call in flight. */
  private static final class Exchanges extends SimpleChannelInboundHandler<FullHttpResponse> {
    private Exchange<?> pending;

    /** Makes the exchange the one in flight; returns false if another one already is. */
    boolean begin(Exchange<?> exchange) {
      if (pending != null) {
        return false;
      }
      pending = exchange;
      return true;
    }

    void failPending(Throwable cause) {
      Exchange<?> exchange = pending;
      pending = null;
      if (exchange != null) {
        exchange.fail(cause);
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Exchange<?> exchange = pending;
      // Cleared first: completing the exchange may send the connection's next call.
      pending = null;
      if (!HttpUtil.isKeepAlive(response)) {
        ctx.close();
      }
      if (exchange == null) {
        ctx.close();
      } else if (!response.decoderResult().isSuccess()) {
        exchange.fail(
            new IOException(
                exchange.operation() + " answered malformed HTTP",
                response.decoderResult().cause()));
      } else {
        exchange.complete(response);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      failPending(new IOException("the server closed the connection"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failPending(cause);
      ctx.close();
    }
  }
}
