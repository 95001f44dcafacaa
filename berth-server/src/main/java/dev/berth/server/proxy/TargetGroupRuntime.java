package dev.berth.server.proxy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target group at run time: its registered and draining targets, their health checks, and the
 * array of healthy targets the proxy picks from, rebuilt whenever a target's routability changes.
 */
final class TargetGroupRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(TargetGroupRuntime.class);
  private static final TargetRuntime[] NONE = new TargetRuntime[0];

  final String arn;
  private final EventLoopGroup loops;
  private final Balancer balancer = new Balancer();
  private final Map<TargetAddress, TargetRuntime> registered = new ConcurrentHashMap<>();
  private final Map<TargetAddress, TargetRuntime> draining = new ConcurrentHashMap<>();
  private volatile LbConfig.TargetGroup settings;
  private volatile TargetRuntime[] healthy = NONE;
  private volatile boolean closed;

  TargetGroupRuntime(LbConfig.TargetGroup settings, EventLoopGroup loops) {
    this.arn = settings.arn();
    this.loops = loops;
    this.settings = settings;
  }

  /** Returns a healthy target by the group's algorithm, or null if none is healthy. */
  TargetRuntime pick() {
    return balancer.pick(settings.algorithm(), healthy, TargetRuntime::outstanding);
  }

  /** Returns true if any target is registered (healthy or not). */
  boolean hasTargets() {
    return !registered.isEmpty();
  }

  /**
   * Applies new settings: starts new targets as initial, drains removed ones for the deregistration
   * delay, and starts or stops health checks as the group is used or not.
   */
  synchronized void update(LbConfig.TargetGroup next) {
    LbConfig.TargetGroup previous = settings;
    settings = next;
    for (TargetAddress address : next.targets()) {
      TargetRuntime target = registered.get(address);
      if (target == null) {
        TargetRuntime old = draining.remove(address);
        if (old != null) {
          // Registered again while draining: the old registration ends now.
          old.finishDraining();
        }
        target = new TargetRuntime(address);
        registered.put(address, target);
        if (next.inUse()) {
          startChecks(target);
        }
      } else if (next.inUse() && !previous.inUse()) {
        startChecks(target);
      } else if (!next.inUse() && previous.inUse()) {
        target.setChecking(false, null);
      }
    }
    for (TargetAddress address : new HashSet<>(registered.keySet())) {
      if (!next.targets().contains(address)) {
        drain(registered.remove(address), next.deregistrationDelay().toMillis());
      }
    }
    rebuildHealthy();
  }

  /** Stops everything: health checks end and draining targets are released at once. */
  synchronized void close() {
    closed = true;
    for (TargetRuntime target : registered.values()) {
      target.setChecking(false, null);
      target.startDraining();
      target.finishDraining();
    }
    draining.values().forEach(TargetRuntime::finishDraining);
    registered.clear();
    draining.clear();
    healthy = NONE;
  }

  /** Returns the health of a target as ELB reports it. */
  TargetHealth health(TargetAddress address) {
    TargetRuntime target = registered.get(address);
    if (target == null) {
      target = draining.get(address);
    }
    return target == null ? TargetHealth.notRegistered() : target.health(settings.inUse());
  }

  /** Returns the health of every registered or draining target. */
  Map<TargetAddress, TargetHealth> healthOfAll() {
    Map<TargetAddress, TargetHealth> all = new java.util.LinkedHashMap<>();
    registered.forEach((address, target) -> all.put(address, target.health(settings.inUse())));
    draining.forEach((address, target) -> all.putIfAbsent(address, target.health(true)));
    return all;
  }

  /** Returns a future completed when the target is no longer draining (at once if it is not). */
  CompletableFuture<Void> drained(TargetAddress address) {
    TargetRuntime target = draining.get(address);
    return target == null ? CompletableFuture.completedFuture(null) : target.drained();
  }

  private void drain(TargetRuntime target, long delayMillis) {
    draining.put(target.address, target);
    target.drained().whenComplete((ignored, failure) -> draining.remove(target.address, target));
    target.startDraining();
    if (!target.drained().isDone()) {
      var timer =
          loops.schedule(target::finishDraining, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
      target.drained().whenComplete((ignored, failure) -> timer.cancel(false));
    }
  }

  private void rebuildHealthy() {
    List<TargetRuntime> routable = new ArrayList<>();
    for (TargetRuntime target : registered.values()) {
      if (target.isHealthy()) {
        routable.add(target);
      }
    }
    healthy = routable.toArray(NONE);
  }

  private void startChecks(TargetRuntime target) {
    target.setChecking(true, null);
    EventLoop loop = loops.next();
    loop.execute(() -> check(target, loop));
  }

  private void check(TargetRuntime target, EventLoop loop) {
    if (closed || !target.checking()) {
      return;
    }
    LbConfig.HealthCheck check = settings.healthCheck();
    TargetAddress address = target.address;
    java.net.InetSocketAddress probeAddress =
        check.port() == null
            ? target.socketAddress
            : new java.net.InetSocketAddress(address.host(), check.port());
    HealthProbe.run(
        loop,
        probeAddress,
        check,
        outcome -> {
          LbConfig.HealthCheck now = settings.healthCheck();
          boolean changed =
              outcome.passed()
                  ? target.pass(now.healthyThreshold())
                  : target.fail(outcome.reason(), outcome.description(), now.unhealthyThreshold());
          if (changed) {
            LOG.info("target {} of {} is now {}", address, arn, target.health(true).state());
            synchronized (this) {
              if (registered.get(address) == target) {
                rebuildHealthy();
              }
            }
          }
          if (target.checking()) {
            target.scheduled(
                loop.schedule(
                    () -> check(target, loop), now.interval().toMillis(), TimeUnit.MILLISECONDS));
          }
        });
  }

  /** Returns the addresses of the registered targets. */
  Set<TargetAddress> registeredAddresses() {
    return Set.copyOf(registered.keySet());
  }
}
