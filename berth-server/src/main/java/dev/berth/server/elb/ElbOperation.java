package dev.berth.server.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;

/** The handler of one ELBv2 operation: gets input already read and checked against the model. */
@FunctionalInterface
interface ElbOperation {
  /** Runs the operation; the future holds the output structure or fails with an AwsException. */
  CompletableFuture<? extends JsonNode> handle(ObjectNode input, RequestContext context);
}
