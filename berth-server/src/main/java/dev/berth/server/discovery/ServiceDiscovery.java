package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.api.ProtocolErrors;
import dev.berth.api.model.InputValidator;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.api.AwsJsonService;
import dev.berth.server.api.RequestContext;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * AWS Cloud Map (Route53AutoNaming_v20170314) on Berth: checks each request against the published
 * model, then hands it to the handler of its operation. Operations Berth does not do answer
 * InvalidInput naming the operation.
 */
public final class ServiceDiscovery implements AwsJsonService {
  /** The Cloud Map model this service answers to. */
  public static final ServiceModel MODEL = ServiceModel.load("servicediscovery/2017-03-14");

  private final InputValidator validator = new InputValidator(MODEL, "InvalidInput");
  private final Map<String, CloudMapOperation> operations = new TreeMap<>();
  private final Registrations registrations;

  /** Creates the service over the state; ARNs name the account given, time comes from the clock. */
  public ServiceDiscovery(DiscoveryState state, String accountId, Clock clock) {
    CloudMapResources resources = new CloudMapResources(state, clock);
    registrations = new Registrations(resources, accountId);
    new NamespaceOperations(resources).register(operations);
    new CloudMapServiceOperations(resources).register(operations);
    new InstanceOperations(resources, registrations).register(operations);
    for (String name : operations.keySet()) {
      if (MODEL.operation(name) == null) {
        throw new IllegalStateException(name + " is not a Cloud Map operation");
      }
    }
  }

  /** Returns the seam through which ECS services register their tasks. */
  public ServiceRegistry registry() {
    return registrations;
  }

  /** Returns the names of the operations Berth implements, in name order. */
  public Set<String> implementedOperations() {
    return Collections.unmodifiableSet(operations.keySet());
  }

  @Override
  public String targetPrefix() {
    return MODEL.targetPrefix();
  }

  @Override
  public String signingName() {
    return MODEL.signingName();
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, JsonNode input, RequestContext context) {
    requireNonNull(context);
    ServiceModel.Operation modelled = MODEL.operation(operation);
    if (modelled == null) {
      throw ProtocolErrors.unknownOperation("AWS Cloud Map has no operation " + operation + ".");
    }
    CloudMapOperation handler = operations.get(operation);
    if (handler == null) {
      throw new AwsException(
          "InvalidInput", 400, "Berth does not support the Cloud Map operation " + operation + ".");
    }
    return handler.handle(validator.validate(modelled.inputShape(), input), context);
  }
}
