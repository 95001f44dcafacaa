package dev.berth.server.ecs;

import dev.berth.server.api.TokenPaging;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** ECS's nextToken / maxResults paging: {@link TokenPaging} with ECS's limits and error. */
final class Paging {
  private Paging() {}

  /**
   * Returns the page after the token's position in a list ordered by key (descending if asked);
   * maxResults must lie in 1..limit and defaults to the limit, as ECS's list operations do.
   */
  static <T> TokenPaging.Page<T> page(
      String operation,
      List<T> ordered,
      Function<T, String> key,
      boolean descending,
      Integer maxResults,
      String nextToken,
      int limit) {
    return TokenPaging.page(
        operation,
        ordered,
        key,
        descending,
        size(maxResults, limit),
        nextToken,
        Paging::invalidToken);
  }

  /**
   * Returns the page of items that pass the filter after the token's position, reading only as far
   * as the page needs ({@link TokenPaging#page(String, Function, Function, Predicate, int, String,
   * Supplier)}); maxResults as above.
   */
  static <T> TokenPaging.Page<T> page(
      String operation,
      Function<String, Iterable<T>> after,
      Function<T, String> key,
      Predicate<? super T> filter,
      Integer maxResults,
      String nextToken,
      int limit) {
    return TokenPaging.page(
        operation, after, key, filter, size(maxResults, limit), nextToken, Paging::invalidToken);
  }

  private static int size(Integer maxResults, int limit) {
    int size = maxResults == null ? limit : maxResults;
    if (size < 1 || size > limit) {
      throw EcsErrors.invalidParameter("maxResults must be between 1 and " + limit + ".");
    }
    return size;
  }

  private static RuntimeException invalidToken() {
    return EcsErrors.invalidParameter("Invalid nextToken.");
  }
}
