package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Ids;
import dev.berth.api.Json;
import dev.berth.api.ProtocolErrors;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.Caller;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.SigV4Verifier;
import dev.berth.server.auth.SignedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one endpoint of every AWS API Berth speaks: picks the protocol and service of a request,
 * verifies its SigV4 signature, runs it and shapes the answer or the error as that protocol does.
 * Protocol concerns live here only; services see parsed input and a {@link RequestContext}.
 */
public final class FrontDoor {
  private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
  private static final String JSON_CONTENT_PREFIX = "application/x-amz-json-";

  private final SigV4Verifier verifier;
  private final Authority authority;
  private final String accountId;
  private final Map<String, AwsJsonService> jsonServices = new HashMap<>();
  private final QueryProtocol queryServices;

  /**
   * Creates a front door serving the JSON services and the Query services given, which verifies
   * signatures with the verifier and lets the authority judge what each key may call.
   */
  public FrontDoor(
      SigV4Verifier verifier,
      Authority authority,
      String accountId,
      List<AwsJsonService> services,
      List<AwsQueryService> queryServices) {
    this.verifier = requireNonNull(verifier);
    this.authority = requireNonNull(authority);
    this.queryServices = new QueryProtocol(verifier, authority, accountId, queryServices);
    this.accountId = requireNonNull(accountId);
    for (AwsJsonService service : services) {
      if (jsonServices.put(service.targetPrefix(), service) != null) {
        throw new IllegalArgumentException("two services for " + service.targetPrefix());
      }
    }
  }

  /** Handles a request; the future always completes normally, with a success or an error. */
  public CompletableFuture<ApiResponse> handle(ApiRequest request) {
    return handle(request, Runnable::run);
  }

  /**
   * Handles a request, rendering an answer that comes later on the responder given rather than on
   * the thread that completes it; the future always completes normally.
   */
  public CompletableFuture<ApiResponse> handle(ApiRequest request, Executor responder) {
    String requestId = Ids.uuid().toString();
    try {
      String target = request.header("x-amz-target");
      if (target == null && QueryProtocol.isQuery(request) && queryServices.servesAny()) {
        return queryServices.handle(request, requestId);
      }
      if (target == null) {
        return done(error(requestId, JSON_CONTENT_PREFIX + "1.1", nonJsonRequest(request)));
      }
      int dot = target.lastIndexOf('.');
      AwsJsonService service = dot < 0 ? null : jsonServices.get(target.substring(0, dot));
      String contentType = service == null ? JSON_CONTENT_PREFIX + "1.1" : service.contentType();
      Function<Throwable, ApiResponse> onError =
          service != null && service.queryCompatible() != null
              ? failure ->
                  QueryCompatibleErrors.error(service.queryCompatible(), requestId, failure)
              : failure -> error(requestId, contentType, failure);
      if (!"POST".equals(request.method())) {
        return done(
            onError.apply(ProtocolErrors.unknownOperation("AWS JSON requests must be POST.")));
      }
      if (request.header("authorization") == null && !hasQueryAuth(request)) {
        return done(onError.apply(ProtocolErrors.missingAuthenticationToken()));
      }
      if (service == null) {
        return done(
            onError.apply(ProtocolErrors.unknownOperation("Unknown target " + target + ".")));
      }
      Principal principal =
          verifier.verify(
              new SignedRequest(
                  request.method(),
                  request.rawPath(),
                  request.rawQuery(),
                  request.headers(),
                  request.body()),
              service.signingName());
      String operation = target.substring(dot + 1);
      Caller caller = authority.authorize(principal, service.signingName(), operation);
      RequestContext context =
          new RequestContext(
              requestId, principal.region(), accountId, principal.accessKeyId(), caller);
      JsonNode input = parseJson(RequestBodies.decoded(request));
      CompletableFuture<? extends JsonNode> output = service.invoke(operation, input, context);
      Function<JsonNode, ApiResponse> render = body -> success(requestId, contentType, body);
      return (output.isDone() ? output.thenApply(render) : output.thenApplyAsync(render, responder))
          .exceptionally(onError);
    } catch (RuntimeException e) {
      return done(error(requestId, JSON_CONTENT_PREFIX + "1.1", e));
    }
  }

  /**
   * Returns AWS's error, in the request's protocol, for a request whose headers alone already fail
   * SigV4 (see {@link SigV4Verifier#checkBeforeBody}), or null if they pass and the body may be
   * read.
   */
  public ApiResponse checkBeforeBody(ApiRequest headersOnly) {
    try {
      verifier.checkBeforeBody(
          new SignedRequest(
              headersOnly.method(),
              headersOnly.rawPath(),
              headersOnly.rawQuery(),
              headersOnly.headers(),
              null));
      return null;
    } catch (AwsException e) {
      String requestId = Ids.uuid().toString();
      if (headersOnly.header("x-amz-target") == null
          && QueryProtocol.isQuery(headersOnly)
          && queryServices.servesAny()) {
        return queryServices.errorBeforeBody(requestId, e);
      }
      return error(requestId, JSON_CONTENT_PREFIX + "1.1", e);
    }
  }

  private static AwsException nonJsonRequest(ApiRequest request) {
    String contentType = request.header("content-type");
    if (request.header("authorization") == null && !hasQueryAuth(request)) {
      return ProtocolErrors.missingAuthenticationToken();
    }
    if (contentType != null && contentType.startsWith(JSON_CONTENT_PREFIX)) {
      return ProtocolErrors.unknownOperation("Missing X-Amz-Target header.");
    }
    return ProtocolErrors.unknownOperation(
        "No AWS protocol here handles " + request.method() + " " + request.rawPath() + ".");
  }

  private static boolean hasQueryAuth(ApiRequest request) {
    return request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature=");
  }

  private static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      return Json.object();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        return Json.object();
      }
      if (!node.isObject()) {
        throw ProtocolErrors.serialization("Request body must be a JSON object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ProtocolErrors.serialization("Malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ProtocolErrors.serialization("Unreadable request body.");
    }
  }

  private static ApiResponse success(String requestId, String contentType, JsonNode body) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(body == null ? Json.object() : body);
      return new ApiResponse(200, contentType, Map.of("x-amzn-RequestId", requestId), bytes);
    } catch (JsonProcessingException e) {
      return error(requestId, contentType, e);
    }
  }

  /** Returns the response for a failure in AWS JSON's error shape. */
  static ApiResponse error(String requestId, String contentType, Throwable failure) {
    AwsException error = AwsException.unwrap(failure);
    if (error == null) {
      LOG.error("request {} failed unexpectedly", requestId, failure);
      error =
          new AwsException(
              "ServerException", 500, "An internal error occurred (request " + requestId + ").");
    }
    ObjectNode body = error.toJson();
    return new ApiResponse(
        error.status(),
        contentType,
        Map.of("x-amzn-RequestId", requestId, "x-amzn-ErrorType", error.code()),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static CompletableFuture<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
