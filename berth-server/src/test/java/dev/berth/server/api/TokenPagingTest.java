package dev.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** nextToken paging over a sorted source read lazily, as ListTasks pages a large cluster. */
class TokenPagingTest {
  private final NavigableSet<String> keys = new TreeSet<>();
  private final AtomicInteger reads = new AtomicInteger();

  private Iterable<String> after(String key) {
    NavigableSet<String> rest = key == null ? keys : keys.tailSet(key, false);
    return () -> rest.stream().peek(ignored -> reads.incrementAndGet()).iterator();
  }

  private TokenPaging.Page<String> page(int size, String token) {
    return TokenPaging.page(
        "ListThings",
        this::after,
        Function.identity(),
        key -> Integer.parseInt(key.substring(1)) % 2 == 0,
        size,
        token,
        () -> new IllegalStateException("invalid token"));
  }

  @Test
  void pagesThroughTheItemsThatPassTheFilterReadingOnlyAsFarAsEachPageNeeds() {
    for (int i = 0; i < 1000; i++) {
      keys.add(String.format("k%04d", i));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      reads.set(0);
      TokenPaging.Page<String> page = page(10, token);
      seen.addAll(page.items());
      token = page.nextToken();
      pages++;
      // Ten items that pass, the odd ones before and between them (at most ten), and the two
      // after (one odd, one to know that a next page exists): never the items of earlier pages.
      assertThat(reads.get()).isLessThanOrEqualTo(22);
    } while (token != null);

    assertThat(pages).isEqualTo(50);
    assertThat(seen).hasSize(500).allMatch(key -> Integer.parseInt(key.substring(1)) % 2 == 0);
    assertThat(seen).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void resumesAfterTheTokensKeyEvenIfItsItemHasGoneSince() {
    keys.addAll(List.of("k0", "k2", "k4", "k6"));
    TokenPaging.Page<String> first = page(2, null);
    assertThat(first.items()).containsExactly("k0", "k2");
    keys.remove("k2");

    TokenPaging.Page<String> second = page(2, first.nextToken());

    assertThat(second.items()).containsExactly("k4", "k6");
    assertThat(second.nextToken()).isNull();
  }

  @Test
  void theLastPageHasNoTokenEvenWhenItIsFull() {
    keys.addAll(List.of("k0", "k1", "k2", "k4"));

    TokenPaging.Page<String> page = page(3, null);

    assertThat(page.items()).containsExactly("k0", "k2", "k4");
    assertThat(page.nextToken()).isNull();
  }

  @Test
  void refusesATokenOfAnotherOperation() {
    keys.addAll(List.of("k0", "k2", "k4"));
    String token =
        TokenPaging.page(
                "ListOthers",
                this::after,
                Function.identity(),
                key -> true,
                1,
                null,
                () -> new IllegalStateException("invalid token"))
            .nextToken();

    assertThatThrownBy(() -> page(1, token)).hasMessage("invalid token");
    assertThatThrownBy(() -> page(1, "not base64!")).hasMessage("invalid token");
  }
}
