package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.model.InputValidator;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.auth.Authority;
import dev.berth.server.auth.Caller;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.SigV4Verifier;
import dev.berth.server.auth.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS Query half of the front door: picks the service by the request's {@code Version}, reads
 * the form along the operation's input shape, checks it against the model, verifies SigV4 and
 * writes the answer or the error as XML in the service's namespace.
 */
final class QueryProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(QueryProtocol.class);
  private static final String CONTENT_TYPE = "text/xml";
  private static final String FORM = "application/x-www-form-urlencoded";

  /**
   * The Query names of the errors the front door raises before a service runs, where the JSON
   * protocol's names differ.
   */
  private static final Map<String, String> PROTOCOL_CODES =
      Map.of(
          "MissingAuthenticationTokenException", "MissingAuthenticationToken",
          "IncompleteSignatureException", "IncompleteSignature",
          "InvalidSignatureException", "SignatureDoesNotMatch",
          "UnrecognizedClientException", "InvalidClientTokenId",
          "AccessDeniedException", "AccessDenied",
          "UnknownOperationException", "InvalidAction",
          "SerializationException", "MalformedQueryString",
          "ServerException", "InternalFailure");

  private record Served(
      AwsQueryService service, QueryForm form, QueryXml xml, InputValidator validator) {}

  private final SigV4Verifier verifier;
  private final Authority authority;
  private final String accountId;
  private final Map<String, Served> byVersion = new HashMap<>();

  QueryProtocol(
      SigV4Verifier verifier,
      Authority authority,
      String accountId,
      List<AwsQueryService> services) {
    this.verifier = requireNonNull(verifier);
    this.authority = requireNonNull(authority);
    this.accountId = requireNonNull(accountId);
    for (AwsQueryService service : services) {
      ServiceModel model = service.model();
      Served served =
          new Served(
              service,
              new QueryForm(model, service.validationErrorCode()),
              new QueryXml(model),
              new InputValidator(
                  model, service.validationErrorCode(), service.missingParameterCode()));
      if (byVersion.put(model.apiVersion(), served) != null) {
        throw new IllegalArgumentException("two Query services of version " + model.apiVersion());
      }
    }
  }

  /** Returns true if any Query service is served. */
  boolean servesAny() {
    return !byVersion.isEmpty();
  }

  /** Returns true if the request is a Query request: a form POST, or a GET with an Action. */
  static boolean isQuery(ApiRequest request) {
    String contentType = request.header("content-type");
    if ("POST".equals(request.method())) {
      return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
    }
    return "GET".equals(request.method())
        && request.rawQuery() != null
        && request.rawQuery().contains("Action=");
  }

  /** Handles a Query request; the future always completes with an answer. */
  CompletableFuture<ApiResponse> handle(ApiRequest request, String requestId) {
    Served served = null;
    try {
      String form =
          "POST".equals(request.method())
              ? new String(RequestBodies.decoded(request), StandardCharsets.UTF_8)
              : request.rawQuery();
      Map<String, String> parameters = QueryForm.parameters(form);
      served = byVersion.get(parameters.get("Version"));
      if (request.header("authorization") == null
          && (request.rawQuery() == null || !request.rawQuery().contains("X-Amz-Signature="))) {
        throw new AwsException("MissingAuthenticationToken", 403, "Missing Authentication Token");
      }
      if (served == null) {
        throw new AwsException(
            "InvalidAction",
            400,
            "No service here speaks API version " + parameters.get("Version") + ".");
      }
      String action = parameters.get("Action");
      ServiceModel.Operation operation =
          action == null ? null : served.service().model().operation(action);
      if (operation == null) {
        throw new AwsException(
            "InvalidAction",
            400,
            "Could not find operation " + action + " for version " + parameters.get("Version"));
      }
      Principal principal =
          verifier.verify(
              new SignedRequest(
                  request.method(),
                  request.rawPath(),
                  request.rawQuery(),
                  request.headers(),
                  request.body()),
              served.service().signingName());
      Caller caller = authority.authorize(principal, served.service().signingName(), action);
      RequestContext context =
          new RequestContext(
              requestId, principal.region(), accountId, principal.accessKeyId(), caller);
      ObjectNode input =
          served
              .validator()
              .validate(
                  operation.inputShape(), served.form().read(operation.inputShape(), parameters));
      Served answering = served;
      return served
          .service()
          .invoke(action, input, context)
          .thenApply(
              output ->
                  new ApiResponse(
                      200,
                      CONTENT_TYPE,
                      Map.of("x-amzn-RequestId", requestId),
                      answering
                          .xml()
                          .response(operation, output, requestId)
                          .getBytes(StandardCharsets.UTF_8)))
          .exceptionally(failure -> error(answering, requestId, failure));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(served, requestId, e));
    }
  }

  /** Returns the error for a request refused before its body, and so its version, was read. */
  ApiResponse errorBeforeBody(String requestId, Throwable failure) {
    return error(null, requestId, failure);
  }

  private ApiResponse error(Served served, String requestId, Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    AwsException error;
    if (cause instanceof AwsException aws) {
      error = aws;
    } else {
      LOG.error("request {} failed unexpectedly", requestId, cause);
      error =
          new AwsException(
              "InternalFailure", 500, "An internal error occurred (request " + requestId + ").");
    }
    String code = PROTOCOL_CODES.getOrDefault(error.code(), error.code());
    QueryXml xml =
        served != null
            ? served.xml()
            : byVersion.values().stream().findFirst().map(Served::xml).orElseThrow();
    return new ApiResponse(
        error.status(),
        CONTENT_TYPE,
        Map.of("x-amzn-RequestId", requestId),
        xml.error(code, error.getMessage(), error.isClientFault(), requestId)
            .getBytes(StandardCharsets.UTF_8));
  }
}
