package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the front door received it, in the form the SigV4 verifier needs.
 *
 * <p>{@code rawPath} and {@code rawQuery} are exactly as on the wire, still percent-encoded; {@code
 * rawQuery} may be null or empty. Header names may be in any case. The body is not copied, so
 * callers must not change it while the request is being verified.
 */
public record SignedRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  /** Creates a request, treating a null body as empty. */
  public SignedRequest {
    requireNonNull(method, "method");
    requireNonNull(rawPath, "rawPath");
    requireNonNull(headers, "headers");
    body = body == null ? EMPTY : body;
  }
}
