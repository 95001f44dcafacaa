package dev.berth.server.cloudwatch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.model.InputValidator;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.api.AwsJsonService;
import dev.berth.server.api.AwsQueryService;
import dev.berth.server.api.RequestContext;
import dev.berth.store.MetricStore;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Amazon CloudWatch's metric operations on Berth, in both protocols its clients speak: AWS JSON 1.0
 * ({@code X-Amz-Target: GraniteServiceVersion20100801.*}, the AWS CLI's and boto3's) and AWS Query
 * ({@code Action=...&Version=2010-08-01}, the AWS SDK for Java v2's and older clients'). Operations
 * of the model that Berth does not do answer InvalidAction.
 */
public final class CloudWatchService implements AwsJsonService, AwsQueryService {
  /** The CloudWatch model this service answers to. */
  public static final ServiceModel MODEL = ServiceModel.load("cloudwatch/2010-08-01");

  /** The Query code of CloudWatch's error for a value outside what an input member allows. */
  static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";

  /** The Query code of CloudWatch's error for a missing input member. */
  static final String MISSING_PARAMETER = "MissingParameter";

  /** The Query code of CloudWatch's error for input members that do not go together. */
  static final String INVALID_PARAMETER_COMBINATION = "InvalidParameterCombination";

  private final InputValidator validator =
      new InputValidator(MODEL, INVALID_PARAMETER_VALUE, MISSING_PARAMETER);
  private final Map<String, Function<ObjectNode, JsonNode>> operations = new TreeMap<>();
  private final Executor calls =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-cloudwatch-", 0).factory());

  /** Creates the service over the metric store, reading the time from the clock. */
  public CloudWatchService(MetricStore store, Clock clock) {
    requireNonNull(store);
    requireNonNull(clock);
    MetricDataOperations data = new MetricDataOperations(store, clock);
    operations.put("PutMetricData", data::putMetricData);
    operations.put("ListMetrics", data::listMetrics);
    MetricQueries queries = new MetricQueries(store, clock);
    operations.put("GetMetricStatistics", queries::getMetricStatistics);
    operations.put("GetMetricData", queries::getMetricData);
    for (String name : operations.keySet()) {
      if (MODEL.operation(name) == null) {
        throw new IllegalStateException(name + " is not a CloudWatch operation");
      }
    }
  }

  @Override
  public ServiceModel model() {
    return MODEL;
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
  public String contentType() {
    return "application/x-amz-json-1.0";
  }

  @Override
  public ServiceModel queryCompatible() {
    return MODEL;
  }

  @Override
  public String validationErrorCode() {
    return INVALID_PARAMETER_VALUE;
  }

  @Override
  public String missingParameterCode() {
    return MISSING_PARAMETER;
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, JsonNode input, RequestContext context) {
    ServiceModel.Operation known = MODEL.operation(operation);
    if (known == null || !operations.containsKey(operation)) {
      return CompletableFuture.failedFuture(unsupported(operation));
    }
    ObjectNode valid;
    try {
      valid = validator.validate(known.inputShape(), input);
    } catch (AwsException e) {
      // Failed as a future, so the front door answers it in CloudWatch's query-compatible shape.
      return CompletableFuture.failedFuture(e);
    }
    return invoke(operation, valid, context);
  }

  @Override
  public CompletableFuture<? extends JsonNode> invoke(
      String operation, ObjectNode input, RequestContext context) {
    Function<ObjectNode, JsonNode> handler = operations.get(operation);
    if (handler == null) {
      throw unsupported(operation);
    }
    // The metric store reads and writes a file: keep that off the caller's event loop.
    return CompletableFuture.supplyAsync(() -> handler.apply(input), calls);
  }

  private static AwsException unsupported(String operation) {
    return new AwsException(
        "InvalidAction", 400, "Berth does not support the CloudWatch operation " + operation + ".");
  }
}
