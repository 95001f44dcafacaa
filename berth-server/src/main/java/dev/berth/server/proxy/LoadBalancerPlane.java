package dev.berth.server.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import java.util.HashMap;
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
 * The built-in load balancer's data plane: an HTTP reverse proxy on Netty with one bound port per
 * listener and a run-time object per target group (health checks, balancing, draining). It is
 * driven by {@link #apply(LbConfig)} with the whole desired configuration after every change of the
 * ELB state, and reports target health back.
 */
public final class LoadBalancerPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerPlane.class);

  private final LbSettings settings;
  private final EventLoopGroup group;
  private final Map<String, TargetGroupRuntime> targetGroups = new ConcurrentHashMap<>();
  private final Map<Integer, ListenerPort> ports = new HashMap<>();
  private final Map<Integer, String> portOwners = new HashMap<>();

  /** Creates a data plane with one event loop per core; nothing is bound until applied. */
  public LoadBalancerPlane(LbSettings settings) {
    this.settings = requireNonNull(settings);
    this.group =
        Transport.group(
            Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().daemon().name("berth-lb-", 0).factory());
  }

  /** Returns the settings the data plane runs with. */
  public LbSettings settings() {
    return settings;
  }

  /**
   * Reconciles the data plane with the configuration: creates, updates and removes target groups,
   * binds the ports of new listeners, swaps the routes of existing ones and closes the ports of
   * listeners that are gone. A port that cannot be bound is logged and tried again next time.
   */
  public synchronized void apply(LbConfig config) {
    Set<String> groupArns = new HashSet<>();
    for (LbConfig.TargetGroup settingsOfGroup : config.targetGroups()) {
      groupArns.add(settingsOfGroup.arn());
      targetGroups
          .computeIfAbsent(
              settingsOfGroup.arn(), arn -> new TargetGroupRuntime(settingsOfGroup, group))
          .update(settingsOfGroup);
    }
    for (String arn : List.copyOf(targetGroups.keySet())) {
      if (!groupArns.contains(arn)) {
        targetGroups.remove(arn).close();
      }
    }
    Set<Integer> wanted = new HashSet<>();
    for (LbConfig.Listener listener : config.listeners()) {
      wanted.add(listener.port());
      Routes<ProxyAction> routes = Routes.compile(listener, this::resolve);
      ListenerPort port = ports.get(listener.port());
      if (port != null) {
        port.routes(routes);
        portOwners.put(listener.port(), listener.arn());
        continue;
      }
      try {
        ports.put(listener.port(), ListenerPort.bind(listener.port(), settings, routes, group));
        portOwners.put(listener.port(), listener.arn());
      } catch (Exception e) {
        LOG.warn(
            "listener {} cannot listen on {}:{}: {}; free the port, or give the listener"
                + " another Port with ModifyListener",
            listener.arn(),
            settings.bindAddress(),
            listener.port(),
            e.toString());
      }
    }
    for (Integer port : List.copyOf(ports.keySet())) {
      if (!wanted.contains(port)) {
        ports.remove(port).close();
        portOwners.remove(port);
      }
    }
  }

  /** Returns true if the port is bound by this data plane or free on the bind address. */
  public synchronized boolean canBind(int port) {
    if (ports.containsKey(port)) {
      return false;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(settings.bindAddress(), port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Returns the health of a target in a target group as ELB reports it. */
  public TargetHealth health(String targetGroupArn, TargetAddress target) {
    TargetGroupRuntime runtime = targetGroups.get(targetGroupArn);
    return runtime == null ? TargetHealth.notRegistered() : runtime.health(target);
  }

  /** Returns the health of every registered or draining target of a target group. */
  public Map<TargetAddress, TargetHealth> health(String targetGroupArn) {
    TargetGroupRuntime runtime = targetGroups.get(targetGroupArn);
    return runtime == null ? Map.of() : runtime.healthOfAll();
  }

  /**
   * Returns a future completed when a deregistered target has drained: no request in flight any
   * more, or the deregistration delay passed. Completed at once for a target not draining.
   */
  public CompletableFuture<Void> drained(String targetGroupArn, TargetAddress target) {
    TargetGroupRuntime runtime = targetGroups.get(targetGroupArn);
    return runtime == null ? CompletableFuture.completedFuture(null) : runtime.drained(target);
  }

  private ProxyAction resolve(LbConfig.Action action) {
    if (action.fixedStatus() != 0) {
      return new ProxyAction(
          new TargetGroupRuntime[0],
          new int[0],
          0,
          action.fixedStatus(),
          action.fixedContentType(),
          action.fixedBody());
    }
    List<LbConfig.WeightedTargetGroup> forward = action.forward();
    TargetGroupRuntime[] runtimes = new TargetGroupRuntime[forward.size()];
    int[] weights = new int[forward.size()];
    int total = 0;
    for (int i = 0; i < forward.size(); i++) {
      runtimes[i] = targetGroups.get(forward.get(i).arn());
      weights[i] = forward.get(i).weight();
      total += weights[i];
    }
    return new ProxyAction(runtimes, weights, total, 0, null, null);
  }

  /** Closes every port and stops health checks and event loops. */
  @Override
  public synchronized void close() {
    ports.values().forEach(ListenerPort::close);
    ports.clear();
    targetGroups.values().forEach(TargetGroupRuntime::close);
    targetGroups.clear();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
