package dev.berth.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.model.ServiceModel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors of an {@code awsQueryCompatible} service spoken in AWS JSON (CloudWatch): the body names
 * the error's shape in {@code __type}, and the {@code x-amzn-query-error} header carries the Query
 * code and fault ({@code InvalidParameterValue;Sender}), which SDKs report as the error's code.
 */
final class QueryCompatibleErrors {
  private static final Logger LOG = LoggerFactory.getLogger(QueryCompatibleErrors.class);

  private static final Map<ServiceModel, Map<String, String>> SHAPES = new ConcurrentHashMap<>();

  private QueryCompatibleErrors() {}

  /** Returns the JSON answer for a failure raised under a Query code of the model. */
  static ApiResponse error(ServiceModel model, String requestId, Throwable failure) {
    AwsException error = AwsException.unwrap(failure);
    if (error == null) {
      LOG.error("request {} failed unexpectedly", requestId, failure);
      error =
          new AwsException(
              "InternalServiceError",
              500,
              "An internal error occurred (request " + requestId + ").");
    }
    String type = shapeOf(model, error.code());
    ObjectNode body = error.toJson();
    body.put("__type", type);
    String contentType = "application/x-amz-json-" + model.metadata().path("jsonVersion").asText();
    return new ApiResponse(
        error.status(),
        contentType,
        Map.of(
            "x-amzn-RequestId",
            requestId,
            "x-amzn-ErrorType",
            type,
            "x-amzn-query-error",
            error.code() + ";" + (error.isClientFault() ? "Sender" : "Receiver")),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the name of the error shape whose Query code is the code, or the code itself. */
  private static String shapeOf(ServiceModel model, String code) {
    return SHAPES
        .computeIfAbsent(model, QueryCompatibleErrors::shapesByCode)
        .getOrDefault(code, code);
  }

  private static Map<String, String> shapesByCode(ServiceModel model) {
    Map<String, String> shapes = new HashMap<>();
    for (ServiceModel.Operation operation : model.operations().values()) {
      for (String error : operation.errors()) {
        shapes.put(model.shape(error).path("error").path("code").asText(error), error);
      }
    }
    return Map.copyOf(shapes);
  }
}
