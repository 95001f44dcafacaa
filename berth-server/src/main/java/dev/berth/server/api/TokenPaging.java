package dev.berth.server.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
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
    return page(
        operation,
        after ->
            after == null
                ? ordered
                : ordered.subList(firstAfter(ordered, key, descending, after), ordered.size()),
        key,
        item -> true,
        size,
        nextToken,
        invalidToken);
  }

  /**
   * Returns at most {@code size} items that pass the filter after the token's position, reading
   * only as far as the page needs: {@code after} lists the items whose key comes after a key (all
   * of them for null), in key order. A listing of thousands of items thus costs each page its own
   * items, not the whole listing again. A token that is not one of this operation's is refused with
   * the exception the service answers for it.
   */
  public static <T> Page<T> page(
      String operation,
      Function<String, Iterable<T>> after,
      Function<T, String> key,
      Predicate<? super T> filter,
      int size,
      String nextToken,
      Supplier<? extends RuntimeException> invalidToken) {
    if (size < 1) {
      throw new IllegalArgumentException("a page holds at least one item");
    }
    String afterKey = nextToken == null ? null : decode(operation, nextToken, invalidToken);
    List<T> items = new ArrayList<>(Math.min(size, 100));
    boolean more = false;
    for (T item : after.apply(afterKey)) {
      if (filter.test(item)) {
        if (items.size() == size) {
          more = true;
          break;
        }
        items.add(item);
      }
    }
    String token = more ? encode(operation, key.apply(items.get(items.size() - 1))) : null;
    return new Page<>(items, token);
  }

  private static <T> int firstAfter(
      List<T> ordered, Function<T, String> key, boolean descending, String after) {
    for (int i = 0; i < ordered.size(); i++) {
      int order = key.apply(ordered.get(i)).compareTo(after);
      if (descending ? order < 0 : order > 0) {
        return i;
      }
    }
    return ordered.size();
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
