package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as it reached the front door, before any protocol is applied: the method, the raw
 * (still percent-encoded) path and query, headers with lower-case names, and the body.
 */
public record ApiRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {
  /** Creates a request; the query may be null, everything else is required. */
  public ApiRequest {
    requireNonNull(method);
    requireNonNull(rawPath);
    requireNonNull(headers);
    requireNonNull(body);
  }

  /** Returns the first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
