package dev.berth.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.model.ServiceModel;
import java.util.concurrent.CompletableFuture;

/**
 * An AWS service spoken in the AWS JSON 1.0/1.1 protocol, dispatched by the prefix of the {@code
 * X-Amz-Target} header (ECS, and later Application Auto Scaling, Cloud Map, EventBridge, Logs).
 */
public interface AwsJsonService {
  /** Returns the target prefix, e.g. {@code AmazonEC2ContainerServiceV20141113}. */
  String targetPrefix();

  /** Returns the SigV4 signing name the credential scope must carry, e.g. {@code ecs}. */
  String signingName();

  /** Returns the JSON protocol's content type for responses, e.g. application/x-amz-json-1.1. */
  default String contentType() {
    return "application/x-amz-json-1.1";
  }

  /**
   * Returns the model of a service marked {@code awsQueryCompatible}, whose JSON errors carry the
   * {@code x-amzn-query-error} header with the Query code, or null for a JSON-only service. Such a
   * service raises its errors under their Query codes; the JSON answer names the error's shape.
   */
  default ServiceModel queryCompatible() {
    return null;
  }

  /**
   * Runs an operation on a parsed JSON body; the future completes with the response body or
   * exceptionally with an {@link dev.berth.api.AwsException}. It may also throw one directly.
   */
  CompletableFuture<? extends JsonNode> invoke(
      String operation, JsonNode input, RequestContext context);
}
