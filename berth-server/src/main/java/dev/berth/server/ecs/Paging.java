package dev.berth.server.ecs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * ECS's nextToken / maxResults paging over a list already in its final order. A token is opaque to
 * clients: it names the operation and the key of the last item returned, so a token from one
 * listing cannot be replayed against another.
 */
final class Paging {
  private Paging() {}

  /** One page of items and the token for the next page, or null on the last page. */
  record Page<T>(List<T> items, String nextToken) {}

  /**
   * Returns the page after the token's position in a list ordered by key (descending if asked);
   * maxResults must lie in 1..limit and defaults to the limit, as ECS's list operations do.
   */
  static <T> Page<T> page(
      String operation,
      List<T> ordered,
      Function<T, String> key,
      boolean descending,
      Integer maxResults,
      String nextToken,
      int limit) {
    int size = maxResults == null ? limit : maxResults;
    if (size < 1 || size > limit) {
      throw EcsErrors.invalidParameter("maxResults must be between 1 and " + limit + ".");
    }
    int start = 0;
    if (nextToken != null) {
      // Resume after the last key returned, even if that item has gone since.
      String after = decode(operation, nextToken);
      start = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        int order = key.apply(ordered.get(i)).compareTo(after);
        if (descending ? order < 0 : order > 0) {
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
      throw invalidToken();
    }
    int newline = text.indexOf('\n');
    if (newline < 0 || !text.substring(0, newline).equals(operation)) {
      throw invalidToken();
    }
    return text.substring(newline + 1);
  }

  private static RuntimeException invalidToken() {
    return EcsErrors.invalidParameter("Invalid nextToken.");
  }
}
