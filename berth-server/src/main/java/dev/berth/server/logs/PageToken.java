package dev.berth.server.logs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque nextToken of CloudWatch Logs' paged operations: a position, base64-encoded. */
final class PageToken {
  private PageToken() {}

  /** Returns the token of a position. */
  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the position of a token, null for none, or throws InvalidParameterException. */
  static String decode(String token) {
    if (token == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** Returns the error of a token that Berth did not give out. */
  static RuntimeException invalid() {
    return LogsErrors.invalidParameter("The specified nextToken is invalid.");
  }
}
