package dev.berth.server.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * nextToken paging over a list already in its final order, as ECS and Cloud Map page their
 * listings. A token is opaque to clients: it names the operation and the key of the last item
 * returned, so a token of one listing cannot be replayed against another, and a listing resumes
 * after that key even if its item has gone since.
 */
public final class TokenPaging {
  private TokenPaging() {}

  /** One page of items and the token for the next page, or null on the last page. */
  public record Page<T>(List<T> items, String nextToken) {}

  /**
   * Returns at most {@code size} items after the token's position in a list ordered by key
   * (descending if asked); a token that is not one of this operation's is refused with the
   * exception the service answers for it.
   */
  public static <T> Page<T> page(
      String operation,
      List<T> ordered,
      Function<T, String> key,
      boolean descending,
      int size,
      String nextToken,
      Supplier<? extends RuntimeException> invalidToken) {
    int start = 0;
    if (nextToken != null) {
      String after = decode(operation, nextToken, invalidToken);
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

  private static String decode(
      String operation, String token, Supplier<? extends RuntimeException> invalidToken) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidToken.get();
    }
    int newline = text.indexOf('\n');
    if (newline < 0 || !text.substring(0, newline).equals(operation)) {
      throw invalidToken.get();
    }
    return text.substring(newline + 1);
  }
}
