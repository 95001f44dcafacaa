package dev.berth.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registered target at run time: its health, its requests in flight, its idle keep-alive
 * connections (one pool per event loop, touched only from that loop) and, once deregistered, its
 * draining.
 */
final class TargetRuntime {
  private static final int MAX_IDLE_PER_LOOP = 256;

  final TargetAddress address;
  final InetSocketAddress socketAddress;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final HealthState health = new HealthState();
  private final Map<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean draining;
  private volatile boolean checking;
  private ScheduledFuture<?> nextCheck;

  TargetRuntime(TargetAddress address) {
    this.address = address;
    this.socketAddress = new InetSocketAddress(address.host(), address.port());
  }

  /** Returns the number of requests in flight to this target. */
  int outstanding() {
    return outstanding.get();
  }

  /** Counts a request sent to the target. */
  void begin() {
    outstanding.incrementAndGet();
  }

  /** Counts a request answered or failed; a draining target with none left is drained. */
  void end() {
    if (outstanding.decrementAndGet() == 0 && draining) {
      finishDraining();
    }
  }

  /** Returns an idle connection of this event loop, or null; call on that loop. */
  Channel pollIdle(EventLoop loop) {
    ArrayDeque<Channel> pool = idle.get(loop);
    if (pool == null) {
      return null;
    }
    Channel channel;
    while ((channel = pool.pollLast()) != null) {
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  /** Keeps a connection for reuse, or closes it if the target drains; call on its loop. */
  void offerIdle(Channel channel) {
    EventLoop loop = channel.eventLoop();
    ArrayDeque<Channel> pool = idle.computeIfAbsent(loop, key -> new ArrayDeque<>());
    if (draining || pool.size() >= MAX_IDLE_PER_LOOP) {
      channel.close();
      return;
    }
    pool.addLast(channel);
  }

  /** Returns the target's health as ELB reports it. */
  synchronized TargetHealth health(boolean inUse) {
    if (draining) {
      return TargetHealth.draining();
    }
    if (!inUse) {
      return TargetHealth.notInUse();
    }
    return health.report();
  }

  /** Returns true if the target takes new requests. */
  synchronized boolean isHealthy() {
    return !draining && health.isHealthy();
  }

  /** Records a passed check; returns true if routability changed. */
  synchronized boolean pass(int healthyThreshold) {
    return health.pass(healthyThreshold);
  }

  /** Records a failed check; returns true if routability changed. */
  synchronized boolean fail(String reason, String description, int unhealthyThreshold) {
    return health.fail(reason, description, unhealthyThreshold);
  }

  /** Returns true while health checks are to be scheduled. */
  boolean checking() {
    return checking && !draining;
  }

  /** Marks health checks wanted or not, cancelling the next one when not. */
  synchronized void setChecking(boolean wanted, ScheduledFuture<?> next) {
    checking = wanted;
    if (!wanted && nextCheck != null) {
      nextCheck.cancel(false);
    }
    nextCheck = next;
  }

  /** Records the next scheduled check. */
  synchronized void scheduled(ScheduledFuture<?> next) {
    nextCheck = next;
  }

  /** Starts draining: no new requests, idle connections closed; done when none are in flight. */
  void startDraining() {
    draining = true;
    setChecking(false, null);
    idle.forEach(
        (loop, pool) ->
            loop.execute(
                () -> {
                  Channel channel;
                  while ((channel = pool.pollLast()) != null) {
                    channel.close();
                  }
                }));
    if (outstanding.get() == 0) {
      finishDraining();
    }
  }

  /** Returns true once deregistration started. */
  boolean isDraining() {
    return draining;
  }

  /** Ends draining now (the delay passed, or nothing is in flight). */
  void finishDraining() {
    drained.complete(null);
  }

  /** Returns the future that completes when the target has drained. */
  CompletableFuture<Void> drained() {
    return drained;
  }
}
