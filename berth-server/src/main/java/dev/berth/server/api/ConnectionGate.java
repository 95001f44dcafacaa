package dev.berth.server.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections open on the API port. Connections that have not yet had a request accepted
 * are kept in order of arrival; at the cap the oldest of them is closed to admit a new one, and
 * only when every open connection has had a request accepted is the new one refused. Idle or
 * stalled strangers thus cannot lock out signed callers, whose connections are young when at risk
 * and trusted once their first request succeeds.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
  private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("berth.counted");
  private static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

  private final int max;
  private final Set<Channel> untrusted = new LinkedHashSet<>();
  private int open;
  private long lastWarning = System.nanoTime() - WARNING_INTERVAL_NANOS;

  ConnectionGate(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Channel channel = ctx.channel();
    Channel victim = admit(channel);
    channel.closeFuture().addListener(future -> release(channel));
    if (victim != null) {
      victim.close();
    }
    if (victim != channel) {
      super.channelActive(ctx);
    }
  }

  /** Marks a connection as one whose request was accepted: it is no longer closed to make room. */
  synchronized void trust(Channel channel) {
    untrusted.remove(channel);
  }

  /** Returns how many connections are open, for tests. */
  synchronized int open() {
    return open;
  }

  private synchronized Channel admit(Channel channel) {
    channel.attr(COUNTED).set(Boolean.TRUE);
    open++;
    untrusted.add(channel);
    if (open <= max) {
      return null;
    }
    // The new connection came last, so it is the oldest only when it is the one untrusted.
    Channel victim = untrusted.iterator().next();
    warn(
        victim == channel
            ? "every other connection has had a request accepted; refusing a new one"
            : "closing the oldest connection that has had no request accepted");
    forget(victim);
    return victim;
  }

  private synchronized void release(Channel channel) {
    forget(channel);
  }

  private void forget(Channel channel) {
    // Counted once: a connection closed to make room leaves the count at once, not when closed.
    if (channel.attr(COUNTED).getAndSet(Boolean.FALSE) == Boolean.TRUE) {
      open--;
      untrusted.remove(channel);
    }
  }

  private void warn(String what) {
    long now = System.nanoTime();
    if (now - lastWarning >= WARNING_INTERVAL_NANOS) {
      lastWarning = now;
      LOG.warn("API port at its cap of {} connections: {}", max, what);
    }
  }
}
