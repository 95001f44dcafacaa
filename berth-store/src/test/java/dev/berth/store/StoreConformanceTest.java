package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Store} must show, run against each implementation by a subclass.
 *
 * <p>A subclass gives each test a fresh, empty location (a temporary file, a new PostgreSQL schema)
 * and opens a store over it with {@link #open()}; calling it again in the same test opens the same
 * durable data, which is how tests check what survives a close.
 */
@Timeout(60)
public abstract class StoreConformanceTest {
  private static final String KIND = "task";
  private static final long WAIT_SECONDS = 30;

  private final List<Store> opened = new ArrayList<>();

  /** Opens a store over this test's location; every call in one test sees the same data. */
  protected abstract Store open();

  /** Returns how many transactions the store has committed since it was opened. */
  protected abstract long transactions(Store store);

  /** Returns a mutation the store cannot write, to make its writer fail inside a transaction. */
  protected Mutation unwritableMutation() {
    // The schema shared by the stores refuses an empty kind.
    return Mutation.put("", "key", "{}");
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Store::close);
  }

  @Test
  void getReturnsTheRowThatWasPut() {
    Store store = track(open());

    await(store.commit(List.of(Mutation.put(KIND, "a", "{\"n\":1}"))));

    assertThat(store.get(KIND, "a")).isEqualTo(new Row(KIND, "a", "{\"n\":1}"));
    assertThat(store.get(KIND, "b")).isNull();
    assertThat(store.get("cluster", "a")).isNull();
  }

  @Test
  void loadReturnsTheRowsOfOneKindInCodePointOrderOfKeys() {
    Store store = track(open());
    // Upper case, punctuation and digits order differently under a locale's collation.
    List<String> keys = List.of("b", "a", "B", "a-c", "ab", "a:b/c", "a10", "a9", "é", "z");

    await(
        store.commit(
            keys.stream()
                .flatMap(
                    key ->
                        List.of(Mutation.put(KIND, key, key), Mutation.put("other", key, key))
                            .stream())
                .toList()));

    assertThat(store.load(KIND))
        .extracting(Row::key)
        .containsExactly("B", "a", "a-c", "a10", "a9", "a:b/c", "ab", "b", "z", "é");
    assertThat(store.load(KIND)).allSatisfy(row -> assertThat(row.kind()).isEqualTo(KIND));
    assertThat(store.load("nothing")).isEmpty();
  }

  @Test
  void putOverwritesTheBodyOfAnExistingRow() {
    Store store = track(open());

    await(store.commit(List.of(Mutation.put(KIND, "a", "old"))));
    await(store.commit(List.of(Mutation.put(KIND, "a", "new"))));

    assertThat(store.load(KIND)).containsExactly(new Row(KIND, "a", "new"));
  }

  @Test
  void deleteRemovesTheRow() {
    Store store = track(open());
    await(store.commit(List.of(Mutation.put(KIND, "a", "1"), Mutation.put(KIND, "b", "2"))));

    await(store.commit(List.of(Mutation.delete(KIND, "a"))));

    assertThat(store.get(KIND, "a")).isNull();
    assertThat(store.load(KIND)).containsExactly(new Row(KIND, "b", "2"));
  }

  @Test
  void deleteOfAMissingRowSucceeds() {
    Store store = track(open());

    await(store.commit(List.of(Mutation.delete(KIND, "missing"))));

    assertThat(store.load(KIND)).isEmpty();
  }

  @Test
  void mutationsOfOneBatchApplyInOrder() {
    Store store = track(open());

    await(
        store.commit(
            List.of(
                Mutation.put(KIND, "a", "1"),
                Mutation.delete(KIND, "a"),
                Mutation.put(KIND, "b", "1"),
                Mutation.delete(KIND, "b"),
                Mutation.put(KIND, "b", "2"))));

    assertThat(store.load(KIND)).containsExactly(new Row(KIND, "b", "2"));
  }

  @Test
  void emptyBatchCompletes() {
    Store store = track(open());

    await(store.commit(List.of()));

    assertThat(store.load(KIND)).isEmpty();
  }

  @Test
  void batchChangedByItsCallerAfterHandOverIsWrittenAsHandedOver() {
    Store store = track(open());
    List<Mutation> batch = new ArrayList<>(List.of(Mutation.put(KIND, "a", "1")));

    CompletableFuture<Void> committed = store.commit(batch);
    batch.add(Mutation.put(KIND, "b", "1"));
    await(committed);

    assertThat(store.load(KIND)).extracting(Row::key).containsExactly("a");
  }

  @Test
  void batchThatCannotBeWrittenLeavesNoneOfItsRows() {
    Store store = track(open());
    await(store.commit(List.of(Mutation.put(KIND, "before", "1"))));

    CompletableFuture<Void> failed =
        store.commit(
            List.of(
                Mutation.put(KIND, "a", "1"),
                Mutation.delete(KIND, "before"),
                unwritableMutation(),
                Mutation.put(KIND, "b", "1")));

    assertThatThrownBy(() -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(store.load(KIND)).containsExactly(new Row(KIND, "before", "1"));
    store.close();
    assertThat(track(open()).load(KIND)).containsExactly(new Row(KIND, "before", "1"));
  }

  @Test
  void aFailedWriteFailsOnlyItsBatchAndTheStoreSaysSoUntilAWriteSucceeds() {
    Store store = track(open());
    assertThat(store.writeFailure()).isNull();

    CompletableFuture<Void> failed = store.commit(List.of(unwritableMutation()));

    assertThatThrownBy(() -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(store.writeFailure()).isNotBlank();

    // The store goes on with the next batch: writes resume without reopening it.
    await(store.commit(List.of(Mutation.put(KIND, "a", "1"))));

    assertThat(store.writeFailure()).isNull();
    assertThat(store.load(KIND)).containsExactly(new Row(KIND, "a", "1"));
    store.close();
    assertThat(track(open()).load(KIND)).containsExactly(new Row(KIND, "a", "1"));
  }

  @Test
  void reopeningAFailedStoreAcceptsWritesAgain() {
    Store failedStore = track(open());
    CompletableFuture<Void> failed = failedStore.commit(List.of(unwritableMutation()));
    assertThatThrownBy(() -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    failedStore.close();

    Store store = track(open());
    await(store.commit(List.of(Mutation.put(KIND, "a", "1"))));

    assertThat(store.get(KIND, "a")).isEqualTo(new Row(KIND, "a", "1"));
  }

  @Test
  void committedRowsSurviveClosingAndReopening() {
    Store store = track(open());
    await(
        store.commit(
            List.of(
                Mutation.put(KIND, "a", "1"),
                Mutation.put(KIND, "b", "2"),
                Mutation.put("cluster", "default", "{}"))));
    await(store.commit(List.of(Mutation.delete(KIND, "a"), Mutation.put(KIND, "c", "3"))));
    store.close();

    Store reopened = track(open());

    assertThat(reopened.load(KIND))
        .containsExactly(new Row(KIND, "b", "2"), new Row(KIND, "c", "3"));
    assertThat(reopened.get("cluster", "default")).isEqualTo(new Row("cluster", "default", "{}"));
  }

  @Test
  void closeWritesEverythingHandedOverBefore() {
    Store store = track(open());
    List<CompletableFuture<Void>> futures =
        IntStream.range(0, 1_000)
            .mapToObj(i -> store.commit(List.of(Mutation.put(KIND, key(i), "{}"))))
            .toList();

    store.close();

    assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted());
    assertThat(track(open()).load(KIND)).hasSize(1_000);
  }

  @Test
  void commitAfterCloseFails() {
    Store store = track(open());
    store.close();

    assertThatThrownBy(() -> store.commit(List.of(Mutation.put(KIND, "a", "1"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.commit(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentBatchesApplyAndCompleteInHandOverOrder() throws Exception {
    Store store = track(open());
    int threads = 8;
    int batchesPerThread = 500;
    // Handing over under a lock fixes an order the test knows while the writer runs concurrently.
    Object handOver = new Object();
    Map<String, String> expected = new HashMap<>();
    List<Integer> completions = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
    int[] next = {0};

    runConcurrently(
        threads,
        thread -> {
          for (int i = 0; i < batchesPerThread; i++) {
            synchronized (handOver) {
              int sequence = next[0]++;
              String key = key(ThreadLocalRandom.current().nextInt(10));
              Mutation mutation =
                  sequence % 5 == 0
                      ? Mutation.delete(KIND, key)
                      : Mutation.put(KIND, key, String.valueOf(sequence));
              expected.put(key, mutation.body());
              futures.add(store.commit(List.of(mutation)).thenRun(() -> completions.add(sequence)));
            }
          }
        });
    await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));

    assertThat(completions).containsExactlyElementsOf(IntStream.range(0, next[0]).boxed().toList());
    expected.forEach(
        (key, body) ->
            assertThat(store.get(KIND, key))
                .as(key)
                .isEqualTo(body == null ? null : new Row(KIND, key, body)));
  }

  @Test
  void concurrentCommitsShareTransactions() throws Exception {
    Store store = track(open());
    int threads = 8;
    int batchesPerThread = 1_000;
    long before = transactions(store);
    List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());

    runConcurrently(
        threads,
        thread -> {
          for (int i = 0; i < batchesPerThread; i++) {
            futures.add(store.commit(List.of(Mutation.put(KIND, thread + "-" + key(i), "{}"))));
          }
        });
    await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));

    assertThat(store.load(KIND)).hasSize(threads * batchesPerThread);
    assertThat(transactions(store) - before).isLessThan(threads * batchesPerThread);
  }

  /** Runs a body on several threads started together and waits for all of them to finish. */
  private static void runConcurrently(int threads, ThreadBody body) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        running.add(
            executor.submit(
                () -> {
                  start.await();
                  body.run(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : running) {
        future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  /** The work of one thread of {@link #runConcurrently}. */
  private interface ThreadBody {
    /** Runs the work of the given thread. */
    void run(int thread) throws Exception;
  }

  /** Remembers a store so that it is closed after the test. */
  private Store track(Store store) {
    opened.add(store);
    return store;
  }

  /** Waits a bounded time for a future and fails the test if it failed or took too long. */
  private static void await(CompletableFuture<?> future) {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns a key that sorts like its number. */
  private static String key(int i) {
    return String.format("key-%06d", i);
  }
}
