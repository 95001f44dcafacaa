package dev.berth.server.auth;

import java.util.List;
import java.util.Map;

/**
 * Case-insensitive access to the headers of a request, without copying them: a request carries few
 * headers, so scanning them is cheaper than building a lower-cased map.
 */
final class RequestHeaders {
  private final Map<String, List<String>> headers;

  RequestHeaders(Map<String, List<String>> headers) {
    this.headers = headers;
  }

  /** Returns the first value of the header named {@code name}, or null if it is absent. */
  String first(String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
        for (String value : header.getValue()) {
          if (value != null) {
            return value;
          }
        }
      }
    }
    return null;
  }

  /**
   * Appends the canonical value of the header named {@code name}: each value trimmed with runs of
   * whitespace collapsed to one space, values joined by commas. Returns false if it is absent.
   */
  boolean appendCanonicalValue(String name, StringBuilder out) {
    boolean found = false;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() == null || !header.getKey().equalsIgnoreCase(name)) {
        continue;
      }
      for (String value : header.getValue()) {
        if (value == null) {
          continue;
        }
        if (found) {
          out.append(',');
        }
        appendTrimmed(value, out);
        found = true;
      }
    }
    return found;
  }

  private static void appendTrimmed(String value, StringBuilder out) {
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = started;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.append(c);
      started = true;
    }
  }

  // The same set the AWS SDKs collapse, so folded (multi-line) values canonicalize as they do.
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
  }
}
