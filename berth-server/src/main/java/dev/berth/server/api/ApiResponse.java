package dev.berth.server.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** An HTTP response from the front door: status, content type, extra headers and body. */
public record ApiResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {
  /** Creates a response; every part is required. */
  public ApiResponse {
    requireNonNull(contentType);
    headers = Map.copyOf(headers);
    requireNonNull(body);
  }
}
