package dev.berth.server.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;

/** The handler of one CloudWatch Logs operation: gets input already checked against the model. */
@FunctionalInterface
interface LogsOperation {
  /** Runs the operation; the future holds the response body or fails with an AwsException. */
  CompletableFuture<? extends JsonNode> handle(ObjectNode input, RequestContext context);
}
