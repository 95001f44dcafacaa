package dev.berth.server.auth;

import static dev.berth.api.ProtocolErrors.incompleteSignature;
import static dev.berth.api.ProtocolErrors.invalidSignature;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The signature a client claims for a request, read from its {@code Authorization} header or from
 * the query parameters of a presigned URL, before anything about it has been checked.
 *
 * @param expires how long a presigned URL stays valid, or null for header authentication
 */
record SignatureClaim(
    String algorithm,
    String credential,
    List<String> signedHeaders,
    String signature,
    Instant signedAt,
    Duration expires) {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** The clock skew AWS tolerates between client and server, and the life of a header signature. */
  static final Duration SKEW = Duration.ofMinutes(15);

  private static final long MAX_EXPIRES_SECONDS = Duration.ofDays(7).toSeconds();

  /** Returns the claim of an {@code Authorization} header, dated by X-Amz-Date or Date. */
  static SignatureClaim fromHeader(String authorization, RequestHeaders headers) {
    String amzDate = headers.first("x-amz-date");
    String date = amzDate != null ? amzDate : headers.first("date");
    String trimmed = authorization.strip();
    int space = 0;
    while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
      space++;
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    int start = space;
    while (start < trimmed.length()) {
      int end = trimmed.indexOf(',', start);
      if (end < 0) {
        end = trimmed.length();
      }
      int equals = trimmed.indexOf('=', start);
      if (equals > start && equals < end) {
        String name = trimmed.substring(start, equals).strip();
        String value = trimmed.substring(equals + 1, end).strip();
        switch (name) {
          case "Credential" -> credential = credential == null ? value : credential;
          case "SignedHeaders" -> signedHeaders = signedHeaders == null ? value : signedHeaders;
          case "Signature" -> signature = signature == null ? value : signature;
          default -> {}
        }
      }
      start = end + 1;
    }
    StringBuilder missing = new StringBuilder();
    requireParameter("Credential", credential, missing);
    requireParameter("Signature", signature, missing);
    requireParameter("SignedHeaders", signedHeaders, missing);
    if (date == null) {
      missing.append(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (!missing.isEmpty()) {
      throw incompleteSignature(missing.append("Authorization=").append(authorization).toString());
    }
    return new SignatureClaim(
        trimmed.substring(0, space),
        credential,
        headerNames(signedHeaders),
        signature,
        AmzDate.parse(date, amzDate == null),
        null);
  }

  /** Returns the claim of a presigned URL, read from its X-Amz-* query parameters. */
  static SignatureClaim fromQuery(QueryParameters query) {
    String credential = requireQueryParameter(query, "X-Amz-Credential");
    String signature = requireQueryParameter(query, "X-Amz-Signature");
    String date = requireQueryParameter(query, "X-Amz-Date");
    String signedHeaders = requireQueryParameter(query, "X-Amz-SignedHeaders");
    String expires = requireQueryParameter(query, "X-Amz-Expires");
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw incompleteSignature("X-Amz-Expires should be a number");
    }
    if (seconds < 0) {
      throw incompleteSignature("X-Amz-Expires must be non-negative");
    }
    if (seconds > MAX_EXPIRES_SECONDS) {
      throw incompleteSignature(
          "X-Amz-Expires must be less than a week (in seconds) that is " + MAX_EXPIRES_SECONDS);
    }
    return new SignatureClaim(
        query.decoded("X-Amz-Algorithm"),
        credential,
        headerNames(signedHeaders),
        signature,
        AmzDate.parse(date, false),
        Duration.ofSeconds(seconds));
  }

  /** Returns whether the claim came from a presigned URL rather than a header. */
  boolean presigned() {
    return expires != null;
  }

  /** Returns whether {@code host} is among the signed headers, as AWS requires. */
  boolean signsHost() {
    for (String name : signedHeaders) {
      if (name.equalsIgnoreCase("host")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Throws InvalidSignature if, at {@code now}, the signature is dated too far in the future or has
   * expired: 15 minutes either side for a header, X-Amz-Expires after signing for a URL.
   */
  void checkCurrent(Instant now) {
    Instant latest = now.plus(SKEW);
    if (signedAt.isAfter(latest)) {
      throw invalidSignature(
          "Signature not yet current: "
              + AmzDate.format(signedAt)
              + " is still later than "
              + AmzDate.format(latest)
              + " ("
              + AmzDate.format(now)
              + " + 15 min.)");
    }
    Duration lifetime = presigned() ? expires : SKEW;
    Instant earliest = now.minus(lifetime);
    if (signedAt.isBefore(earliest)) {
      throw invalidSignature(
          "Signature expired: "
              + AmzDate.format(signedAt)
              + " is now earlier than "
              + AmzDate.format(earliest)
              + " ("
              + AmzDate.format(now)
              + (presigned() ? " - " + expires.toSeconds() + " sec.)" : " - 15 min.)"));
    }
  }

  private static void requireParameter(String name, String value, StringBuilder missing) {
    if (value == null || value.isEmpty()) {
      missing.append("Authorization header requires '").append(name).append("' parameter. ");
    }
  }

  private static String requireQueryParameter(QueryParameters query, String name) {
    String value = query.decoded(name);
    if (value == null) {
      throw incompleteSignature(
          "AWS query-string parameters must include '"
              + name
              + "'. Re-examine the query-string parameters.");
    }
    return value;
  }

  private static List<String> headerNames(String signedHeaders) {
    return Arrays.asList(signedHeaders.split(";", -1));
  }
}
