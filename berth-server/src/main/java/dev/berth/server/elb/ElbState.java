package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.server.proxy.Algorithm;
import dev.berth.server.proxy.LbConfig;
import dev.berth.server.proxy.LoadBalancerPlane;
import dev.berth.server.proxy.StatusMatcher;
import dev.berth.server.proxy.TargetAddress;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.server.statemachine.StateWriter;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The ELB state: load balancers, target groups (with their targets), listeners and rules of every
 * region, in memory, changed by one writer whose records the store commits before a call is
 * answered. Once a durable batch of changes is applied (once per batch, not per record, and before
 * the callers are answered, so that a deregistration's drain is watched on the plane that already
 * drains it) the data plane is reconciled with the new configuration; at start-up, once the whole
 * state is loaded.
 */
final class ElbState {
  static final EntityRecord.Kind<LoadBalancer> LOAD_BALANCER =
      new EntityRecord.Kind<>("elb-load-balancer", LoadBalancer.class);
  static final EntityRecord.Kind<TargetGroup> TARGET_GROUP =
      new EntityRecord.Kind<>("elb-target-group", TargetGroup.class);
  static final EntityRecord.Kind<Listener> LISTENER =
      new EntityRecord.Kind<>("elb-listener", Listener.class);
  static final EntityRecord.Kind<ListenerRule> RULE =
      new EntityRecord.Kind<>("elb-rule", ListenerRule.class);

  private final Store store;
  private final StateWriter writer;
  private final LoadBalancerPlane plane;
  private final InstanceAddresses instances;
  private final Map<String, LoadBalancer> loadBalancers = new ConcurrentHashMap<>();
  private final Map<String, TargetGroup> targetGroups = new ConcurrentHashMap<>();
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final Map<String, ListenerRule> rules = new ConcurrentHashMap<>();

  ElbState(Store store, Executor executor, LoadBalancerPlane plane, InstanceAddresses instances) {
    this.store = requireNonNull(store);
    this.plane = requireNonNull(plane);
    this.instances = requireNonNull(instances);
    this.writer =
        new StateWriter(
            store,
            executor,
            new StateWriter.Memory() {
              @Override
              public void applyCommitted(StateRecord record) {
                replay(record);
              }

              @Override
              public void batchApplied() {
                // The data plane serves what the API answers: in step before the callers hear.
                plane.apply(config());
              }
            });
  }

  /** Rebuilds memory from the store and brings the data plane up to it. */
  void load() {
    load(LOAD_BALANCER, loadBalancers);
    load(TARGET_GROUP, targetGroups);
    load(LISTENER, listeners);
    load(RULE, rules);
    plane.apply(config());
  }

  private <T> void load(EntityRecord.Kind<T> kind, Map<String, T> into) {
    for (Row row : store.load(kind.name())) {
      into.put(row.key(), kind.read(row));
    }
  }

  /** Runs a command on the single writer; the future completes once its records are durable. */
  <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    return writer.submit(command);
  }

  /** Returns the data plane. */
  LoadBalancerPlane plane() {
    return plane;
  }

  Collection<LoadBalancer> loadBalancers() {
    return loadBalancers.values();
  }

  Collection<TargetGroup> targetGroups() {
    return targetGroups.values();
  }

  Collection<Listener> listeners() {
    return listeners.values();
  }

  Collection<ListenerRule> rules() {
    return rules.values();
  }

  LoadBalancer loadBalancer(String arn) {
    return arn == null ? null : loadBalancers.get(arn);
  }

  TargetGroup targetGroup(String arn) {
    return arn == null ? null : targetGroups.get(arn);
  }

  Listener listener(String arn) {
    return arn == null ? null : listeners.get(arn);
  }

  ListenerRule rule(String arn) {
    return arn == null ? null : rules.get(arn);
  }

  /** Returns the ARNs of the load balancers whose listeners or rules forward to the group. */
  List<String> loadBalancersOf(String targetGroupArn) {
    Set<String> arns = new java.util.TreeSet<>();
    for (Listener listener : listeners.values()) {
      boolean uses = forwardsTo(listener.defaultActions(), targetGroupArn);
      for (ListenerRule rule : rules.values()) {
        uses |=
            rule.listenerArn().equals(listener.arn()) && forwardsTo(rule.actions(), targetGroupArn);
      }
      if (uses) {
        arns.add(listener.loadBalancerArn());
      }
    }
    return List.copyOf(arns);
  }

  private static boolean forwardsTo(List<ElbAction> actions, String targetGroupArn) {
    for (ElbAction action : actions) {
      for (ElbAction.WeightedTargetGroup group : action.targetGroups()) {
        if (group.arn().equals(targetGroupArn)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the address a registered target resolves to, or null if it cannot be resolved. */
  TargetAddress addressOf(TargetGroup group, TargetGroup.RegisteredTarget target) {
    if (!"instance".equals(group.targetType())) {
      return new TargetAddress(target.id(), target.port());
    }
    String host = instances.addressOf(Arn.parse(group.arn()).region(), target.id());
    return host == null ? null : new TargetAddress(host, target.port());
  }

  private void replay(StateRecord record) {
    if (record instanceof EntityRecord<?> entity) {
      Object value = entity.value();
      switch (value) {
        case LoadBalancer lb -> loadBalancers.put(entity.key(), lb);
        case TargetGroup group -> targetGroups.put(entity.key(), group);
        case Listener listener -> listeners.put(entity.key(), listener);
        case ListenerRule rule -> rules.put(entity.key(), rule);
        default -> throw new IllegalArgumentException("not an ELB record: " + value);
      }
    } else if (record instanceof DeleteRecord delete) {
      String kind = delete.kind().name();
      if (kind.equals(LOAD_BALANCER.name())) {
        loadBalancers.remove(delete.key());
      } else if (kind.equals(TARGET_GROUP.name())) {
        targetGroups.remove(delete.key());
      } else if (kind.equals(LISTENER.name())) {
        listeners.remove(delete.key());
      } else if (kind.equals(RULE.name())) {
        rules.remove(delete.key());
      }
    }
  }

  /** Returns what the data plane should serve now. */
  LbConfig config() {
    Set<String> used = new HashSet<>();
    List<LbConfig.Listener> served = new ArrayList<>();
    for (Listener listener : listeners.values()) {
      List<LbConfig.Rule> compiled = new ArrayList<>();
      for (ListenerRule rule : rules.values()) {
        if (rule.listenerArn().equals(listener.arn()) && !rule.isDefault()) {
          compiled.add(
              new LbConfig.Rule(
                  rule.priority(),
                  rule.conditions().stream().map(ElbState::condition).toList(),
                  action(rule.actions(), used)));
        }
      }
      served.add(
          new LbConfig.Listener(
              listener.arn(), listener.port(), compiled, action(listener.defaultActions(), used)));
    }
    List<LbConfig.TargetGroup> groups = new ArrayList<>();
    for (TargetGroup group : targetGroups.values()) {
      Set<TargetAddress> addresses = new HashSet<>();
      for (TargetGroup.RegisteredTarget target : group.targets()) {
        TargetAddress address = addressOf(group, target);
        if (address != null) {
          addresses.add(address);
        }
      }
      Map<String, String> attributes = group.effectiveAttributes();
      groups.add(
          new LbConfig.TargetGroup(
              group.arn(),
              healthCheck(group.healthCheck()),
              Algorithm.fromAttribute(attributes.get(TargetGroupAttributes.ALGORITHM)),
              Duration.ofSeconds(
                  Long.parseLong(attributes.get(TargetGroupAttributes.DEREGISTRATION_DELAY))),
              addresses,
              used.contains(group.arn())));
    }
    return new LbConfig(served, groups);
  }

  private static LbConfig.Condition condition(ListenerRule.Condition condition) {
    return new LbConfig.Condition(
        condition.field().equals("host-header")
            ? LbConfig.Field.HOST_HEADER
            : LbConfig.Field.PATH_PATTERN,
        condition.values());
  }

  private static LbConfig.Action action(List<ElbAction> actions, Set<String> used) {
    ElbAction action = actions.get(actions.size() - 1);
    if (ElbAction.FIXED_RESPONSE.equals(action.type())) {
      return LbConfig.Action.fixed(
          Integer.parseInt(action.fixedStatus()), action.fixedContentType(), action.fixedBody());
    }
    action.targetGroups().forEach(group -> used.add(group.arn()));
    return new LbConfig.Action(
        action.targetGroups().stream()
            .map(group -> new LbConfig.WeightedTargetGroup(group.arn(), group.weight()))
            .toList(),
        0,
        null,
        null);
  }

  static LbConfig.HealthCheck healthCheck(TargetGroup.HealthCheckConfig config) {
    return new LbConfig.HealthCheck(
        config.path(),
        "traffic-port".equals(config.port()) ? null : Integer.valueOf(config.port()),
        Duration.ofSeconds(config.intervalSeconds()),
        Duration.ofSeconds(config.timeoutSeconds()),
        config.healthyThreshold(),
        config.unhealthyThreshold(),
        StatusMatcher.parse(config.matcher()));
  }

  /** Returns the record that stores an entity. */
  static StateRecord put(Object entity) {
    return switch (entity) {
      case LoadBalancer lb -> new EntityRecord<>(LOAD_BALANCER, lb.arn(), lb);
      case TargetGroup group -> new EntityRecord<>(TARGET_GROUP, group.arn(), group);
      case Listener listener -> new EntityRecord<>(LISTENER, listener.arn(), listener);
      case ListenerRule rule -> new EntityRecord<>(RULE, rule.arn(), rule);
      default -> throw new IllegalArgumentException("not an ELB entity: " + entity);
    };
  }
}
