package dev.berth.server.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;

/** The handler of one ECS operation: gets input already checked against the model. */
@FunctionalInterface
interface EcsOperation {
  /** Runs the operation; the future holds the response body or fails with an AwsException. */
  CompletableFuture<? extends JsonNode> handle(ObjectNode input, RequestContext context);

  /**
   * Returns the handler of an operation that takes its typed request: the checked input is bound to
   * the request record once, here, and the operation never sees JSON.
   */
  static <R extends Record> EcsOperation typed(Class<R> requestType, Typed<R> operation) {
    return (input, context) -> operation.handle(bind(input, requestType), context);
  }

  /**
   * Binds input checked against the model to its request record. The records follow the model's
   * shapes, so a failure here is Berth's fault, not the caller's.
   */
  static <R extends Record> R bind(ObjectNode input, Class<R> requestType) {
    try {
      return Json.MAPPER.treeToValue(input, requestType);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "input checked against the model does not bind to " + requestType.getSimpleName(), e);
    }
  }

  /** An operation that takes its request as a record of the model's input shape. */
  @FunctionalInterface
  interface Typed<R> {
    /** Runs the operation; the future holds the response body or fails with an AwsException. */
    CompletableFuture<? extends JsonNode> handle(R request, RequestContext context);
  }
}
