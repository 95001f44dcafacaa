package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.api.AwsQueryService;
import dev.berth.server.api.RequestContext;
import dev.berth.server.proxy.LoadBalancerPlane;
import dev.berth.store.Store;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Elastic Load Balancing v2 (API version 2015-12-01) on Berth: application load balancers whose
 * listeners are served by the built-in {@link LoadBalancerPlane}. Operations of the model that
 * Berth does not do answer InvalidAction.
 */
public final class ElbService implements AwsQueryService {
  /** The ELBv2 model this service answers to. */
  public static final ServiceModel MODEL = ServiceModel.load("elbv2/2015-12-01");

  private final Map<String, ElbOperation> operations = new TreeMap<>();
  private final ElbState state;
  private final TargetOperations targets;

  /**
   * Creates the service over the store, loading its state and bringing the data plane up to it;
   * instance-id targets resolve through the addresses given.
   */
  public ElbService(
      Store store,
      Executor writers,
      LoadBalancerPlane plane,
      InstanceAddresses instances,
      Clock clock) {
    state = new ElbState(store, writers, plane, instances);
    state.load();
    new LoadBalancerOperations(state, clock).register(operations);
    new TargetGroupOperations(state).register(operations);
    new ListenerOperations(state).register(operations);
    new RuleOperations(state).register(operations);
    targets = new TargetOperations(state, instances);
    targets.register(operations);
    for (String name : operations.keySet()) {
      if (MODEL.operation(name) == null) {
        throw new IllegalStateException(name + " is not an ELBv2 operation");
      }
    }
  }

  /** Returns the seam through which ECS services register and drain their tasks. */
  public TargetGroups targetGroups() {
    return targets;
  }

  /** Returns the names of the operations Berth implements, in name order. */
  public Set<String> implementedOperations() {
    return Collections.unmodifiableSet(operations.keySet());
  }

  @Override
  public ServiceModel model() {
    return MODEL;
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, ObjectNode input, RequestContext context) {
    ElbOperation handler = operations.get(operation);
    if (handler == null) {
      throw new AwsException(
          "InvalidAction", 400, "Berth does not support the ELB operation " + operation + " yet.");
    }
    return handler.handle(input, context);
  }
}
