package dev.berth.server.ecs;

import dev.berth.server.api.TokenPaging;
import java.util.List;
import java.util.function.Function;

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
    int size = maxResults == null ? limit : maxResults;
    if (size < 1 || size > limit) {
      throw EcsErrors.invalidParameter("maxResults must be between 1 and " + limit + ".");
    }
    return TokenPaging.page(
        operation,
        ordered,
        key,
        descending,
        size,
        nextToken,
        () -> EcsErrors.invalidParameter("Invalid nextToken."));
  }
}
