package dev.berth.server.logs;

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
 * Amazon CloudWatch Logs (Logs_20140328) on Berth: log groups, streams and events kept in their own
 * store ({@link LogStore}). Checks each request against the published model, then hands it to the
 * handler of its operation; operations Berth does not do answer InvalidParameterException naming
 * the operation.
 */
public final class CloudWatchLogs implements AwsJsonService {
  /** The CloudWatch Logs model this service answers to. */
  public static final ServiceModel MODEL = ServiceModel.load("logs/2014-03-28");

  private final InputValidator validator = new InputValidator(MODEL, "InvalidParameterException");
  private final Map<String, LogsOperation> operations = new TreeMap<>();
  private final RetentionSweep retention;

  /** Creates the service over its store; time comes from the clock, bounds from the limits. */
  public CloudWatchLogs(LogStore store, Clock clock, LogLimits limits) {
    new LogGroupOperations(store, clock).register(operations);
    new LogStreamOperations(store, clock).register(operations);
    new LogEventOperations(store, clock, limits).register(operations);
    new FilterLogEventsOperation(store).register(operations);
    new LogTagOperations(store).register(operations);
    this.retention = new RetentionSweep(store, clock);
    for (String name : operations.keySet()) {
      if (MODEL.operation(name) == null) {
        throw new IllegalStateException(name + " is not a CloudWatch Logs operation");
      }
    }
  }

  /** Returns the names of the operations Berth implements, in name order. */
  public Set<String> implementedOperations() {
    return Collections.unmodifiableSet(operations.keySet());
  }

  /**
   * Removes every event older than its group's retention period, now; returns how many it removed.
   * The server runs it once a minute.
   */
  public long sweepRetention() {
    return retention.run();
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
      throw ProtocolErrors.unknownOperation("CloudWatch Logs has no operation " + operation + ".");
    }
    LogsOperation handler = operations.get(operation);
    if (handler == null) {
      throw new AwsException(
          "InvalidParameterException",
          400,
          "Berth does not support the CloudWatch Logs operation " + operation + ".");
    }
    return handler.handle(validator.validate(modelled.inputShape(), input), context);
  }
}
