package dev.berth.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.model.ServiceModel;
import java.util.concurrent.CompletableFuture;

/**
 * An AWS service spoken in the AWS Query protocol (form-encoded {@code Action} and {@code Version},
 * XML answers), such as Elastic Load Balancing v2. The front door turns the form into JSON along
 * the operation's input shape and the JSON answer into XML along its output shape, so a service
 * sees the same kind of input as an {@link AwsJsonService}.
 */
public interface AwsQueryService {
  /** Returns the service's model: its API version, XML namespace, operations and shapes. */
  ServiceModel model();

  /** Returns the SigV4 signing name the credential scope must carry, e.g. elasticloadbalancing. */
  default String signingName() {
    return model().signingName();
  }

  /** Returns the code of the error for input that breaks the model's constraints. */
  default String validationErrorCode() {
    return "ValidationError";
  }

  /** Returns the code of the error for input that lacks a required member. */
  default String missingParameterCode() {
    return validationErrorCode();
  }

  /**
   * Runs an operation on its input, already read from the form and checked against the model; the
   * future completes with the output structure (members named as in the model, timestamps as epoch
   * seconds) or exceptionally with an {@link dev.berth.api.AwsException}.
   */
  CompletableFuture<? extends JsonNode> invoke(
      String operation, ObjectNode input, RequestContext context);
}
