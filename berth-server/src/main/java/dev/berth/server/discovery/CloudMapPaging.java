package dev.berth.server.discovery;

import dev.berth.server.api.TokenPaging;
import java.util.List;
import java.util.function.Function;

/** Cloud Map's NextToken / MaxResults paging: {@link TokenPaging} with Cloud Map's default. */
final class CloudMapPaging {
  /** The page size when MaxResults is absent, as Cloud Map's list operations use. */
  static final int DEFAULT_PAGE = 100;

  private CloudMapPaging() {}

  /** Returns the page after the token's position in a list ordered by key. */
  static <T> TokenPaging.Page<T> page(
      String operation,
      List<T> ordered,
      Function<T, String> key,
      Integer maxResults,
      String nextToken) {
    return TokenPaging.page(
        operation,
        ordered,
        key,
        false,
        maxResults == null ? DEFAULT_PAGE : maxResults,
        nextToken,
        () -> CloudMapErrors.invalidInput("Invalid NextToken."));
  }
}
