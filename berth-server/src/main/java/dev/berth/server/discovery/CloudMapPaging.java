package dev.berth.server.discovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cloud Map's NextToken / MaxResults paging over a list in key order. A token is opaque: it names
 * the operation and the last key returned, so a token of one listing fails on another.
 */
final class CloudMapPaging {
  /** The page size when MaxResults is absent, as Cloud Map's list operations use. */
  static final int DEFAULT_PAGE = 100;

  private CloudMapPaging() {}

  /** One page of items and the token for the next page, or null on the last page. */
  record Page<T>(List<T> items, String nextToken) {}

  /** Returns the page after the token's position in a list ordered by key. */
  static <T> Page<T> page(
      String operation,
      List<T> ordered,
      Function<T, String> key,
      Integer maxResults,
      String nextToken) {
    int size = maxResults == null ? DEFAULT_PAGE : maxResults;
    int start = 0;
    if (nextToken != null) {
      String after = decode(operation, nextToken);
      start = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (key.apply(ordered.get(i)).compareTo(after) > 0) {
          start = i;
          break;
        }
      }
    }
    int end = Math.min(ordered.size(), start + size);
    List<T> items = new ArrayList<>(ordered.subList(start, end));
    String token =
        end < ordered.size() ? encode(operation, key.apply(items.get(items.size() - 1))) : null;
    return new Page<>(items, token);
  }

  private static String encode(String operation, String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((operation + "\n" + key).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String operation, String token) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw CloudMapErrors.invalidInput("Invalid NextToken.");
    }
    int newline = text.indexOf('\n');
    if (newline < 0 || !text.substring(0, newline).equals(operation)) {
      throw CloudMapErrors.invalidInput("Invalid NextToken.");
    }
    return text.substring(newline + 1);
  }
}
