package dev.berth.server.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read deadlines of one connection of the API port: its headers within the header timeout (from
 * the connection's start, or from the first byte after an idle spell), its body within the body
 * timeout once the headers are in, and its next request within the idle timeout; none while the
 * server works on an answer. A connection past a deadline is closed. Once the connection is
 * upgraded (the agent channel's WebSocket), the deadlines step aside for the channel's heartbeats.
 *
 * <p>Two handlers share the state: {@link #bytes()} before the HTTP codec sees the first byte of a
 * request, {@link #messages()} after it sees headers, the end of a body and the answers.
 */
final class RequestDeadlines {
  private enum Phase {
    HEADERS,
    BODY,
    ANSWERING,
    IDLE
  }

  private final ConnectionLimits limits;
  private final ConnectionGate gate;
  private final Bytes bytes = new Bytes();
  private final Messages messages = new Messages();
  private Phase phase = Phase.HEADERS;
  private int unanswered;
  private ScheduledFuture<?> deadline;

  RequestDeadlines(ConnectionLimits limits, ConnectionGate gate) {
    this.limits = limits;
    this.gate = gate;
  }

  /** Returns the handler that goes before the HTTP codec. */
  ChannelHandler bytes() {
    return bytes;
  }

  /** Returns the handler that goes after the HTTP codec. */
  ChannelHandler messages() {
    return messages;
  }

  private void await(ChannelHandlerContext ctx, Phase next, java.time.Duration timeout) {
    cancel();
    phase = next;
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  if (phase == next) {
                    ctx.channel().close();
                  }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private void answering() {
    cancel();
    phase = Phase.ANSWERING;
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      await(ctx, Phase.HEADERS, limits.headerTimeout());
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (phase == Phase.IDLE && msg instanceof ByteBuf buffer && buffer.isReadable()) {
        await(ctx, Phase.HEADERS, limits.headerTimeout());
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      cancel();
      super.channelInactive(ctx);
    }
  }

  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest) {
        unanswered++;
        if (msg instanceof LastHttpContent) {
          answering();
        } else {
          await(ctx, Phase.BODY, limits.bodyTimeout());
        }
      } else if (msg instanceof LastHttpContent && phase == Phase.BODY) {
        answering();
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      if (msg instanceof HttpResponse response) {
        HttpResponseStatus status = response.status();
        if (status.equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
          promise = promise.unvoid().addListener(done -> upgraded(ctx));
        } else if (status.code() >= 200) {
          if (status.codeClass() == io.netty.handler.codec.http.HttpStatusClass.SUCCESS) {
            gate.trust(ctx.channel());
          }
          if (msg instanceof LastHttpContent) {
            promise = promise.unvoid().addListener(answered(ctx));
          }
        }
      } else if (msg instanceof LastHttpContent) {
        promise = promise.unvoid().addListener(answered(ctx));
      }
      super.write(ctx, msg, promise);
    }

    private ChannelFutureListener answered(ChannelHandlerContext ctx) {
      return future -> {
        unanswered = Math.max(0, unanswered - 1);
        if (unanswered == 0 && phase == Phase.ANSWERING) {
          await(ctx, Phase.IDLE, limits.idleTimeout());
        }
      };
    }

    private void upgraded(ChannelHandlerContext ctx) {
      cancel();
      gate.trust(ctx.channel());
      if (ctx.pipeline().context(bytes) != null) {
        ctx.pipeline().remove(bytes);
      }
      if (ctx.pipeline().context(this) != null) {
        ctx.pipeline().remove(this);
      }
    }
  }
}
