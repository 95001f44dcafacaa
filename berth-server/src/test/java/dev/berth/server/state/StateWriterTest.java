package dev.berth.server.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.AwsException;
import dev.berth.store.Mutation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a StateWriter runs commands, persists their records, replays them and answers callers. */
class StateWriterTest {
  private static final Executor DIRECT = Runnable::run;

  /** A record of these tests: one row of kind "note" keyed by its text. */
  private record Note(String text) implements StateRecord {
    @Override
    public Mutation toMutation() {
      return Mutation.put("note", text, "{\"text\":\"" + text + "\"}");
    }
  }

  private final List<StateRecord> replayed = Collections.synchronizedList(new ArrayList<>());

  @Test
  void commandsSubmittedFromManyThreadsRunOneAtATimeInSubmissionOrder() throws Exception {
    FakeStore store = FakeStore.completingAtOnce();
    int submitters = 4;
    int commandsEach = 250;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunningAtOnce = new AtomicInteger();
    List<String> executed = Collections.synchronizedList(new ArrayList<>());
    // Submissions are recorded under a lock so that the test knows their order; the commands
    // themselves run on a pool of several threads, concurrently with later submissions.
    Object submitting = new Object();
    List<String> submitted = new ArrayList<>();
    List<CompletableFuture<String>> answers = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);

    try (ExecutorService commandThreads = Executors.newFixedThreadPool(4);
        ExecutorService submitterThreads = Executors.newFixedThreadPool(submitters)) {
      StateWriter writer = writer(store, commandThreads);
      List<Future<?>> submissions = new ArrayList<>();
      for (int t = 0; t < submitters; t++) {
        String submitter = "submitter" + t;
        submissions.add(
            submitterThreads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < commandsEach; i++) {
                    String tag = submitter + "-" + i;
                    synchronized (submitting) {
                      submitted.add(tag);
                      answers.add(
                          writer.submit(
                              () -> {
                                mostRunningAtOnce.accumulateAndGet(
                                    running.incrementAndGet(), Math::max);
                                executed.add(tag);
                                for (int spin = 0; spin < 100; spin++) {
                                  Thread.onSpinWait();
                                }
                                running.decrementAndGet();
                                return CommandResult.of(new Note(tag), tag);
                              }));
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> submission : submissions) {
        submission.get(10, SECONDS);
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, SECONDS);
    }

    assertThat(submitted).hasSize(submitters * commandsEach);
    assertThat(mostRunningAtOnce).hasValue(1);
    assertThat(executed).isEqualTo(submitted);
    assertThat(replayed).extracting(record -> ((Note) record).text()).isEqualTo(submitted);
    assertThat(store.batches())
        .extracting(batch -> batch.mutations().get(0).key())
        .isEqualTo(submitted);
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).get()).isEqualTo(submitted.get(i));
    }
  }

  @Test
  void nextCommandSeesThePreviousCommandsRecordsBeforeTheyAreDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<List<StateRecord>> second =
        writer.submit(() -> CommandResult.of(List.copyOf(replayed)));

    assertThat(first).isNotDone();
    assertThat(second.get(5, SECONDS)).containsExactly(new Note("a"));
  }

  @Test
  void recordsAreReplayedInTheOrderTheCommandReturnedThem() throws Exception {
    FakeStore store = FakeStore.completingAtOnce();
    StateWriter writer = writer(store, DIRECT);

    writer
        .submit(() -> new CommandResult<>(List.of(new Note("a"), new Note("b")), "ok"))
        .get(5, SECONDS);

    assertThat(replayed).containsExactly(new Note("a"), new Note("b"));
    assertThat(store.batches()).hasSize(1);
    assertThat(store.batches().get(0).mutations())
        .containsExactly(new Note("a").toMutation(), new Note("b").toMutation());
  }

  @Test
  void callerIsAnsweredOnlyOnceTheStoreCommitCompletes() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of(new Note("a"), "done"));

    assertThat(store.batches()).hasSize(1);
    assertThat(store.batches().get(0).mutations()).containsExactly(new Note("a").toMutation());
    assertThat(answer).isNotDone();

    store.completeNext();

    assertThat(answer.get(5, SECONDS)).isEqualTo("done");
  }

  @Test
  void commandThatThrowsFailsItsFutureWithThatExceptionAndCommitsNothing() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);
    AwsException notFound = new AwsException("ClusterNotFoundException", 400, "Cluster not found.");

    CompletableFuture<String> answer =
        writer.submit(
            () -> {
              throw notFound;
            });

    assertThat(failureOf(answer)).isSameAs(notFound);
    assertThat(store.commitCalls()).isZero();
    assertThat(replayed).isEmpty();
  }

  @Test
  void commandAfterOneThatFailedUnexpectedlyStillRuns() throws Exception {
    FakeStore store = FakeStore.completingAtOnce();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> failed =
        writer.submit(
            () -> {
              throw new IllegalArgumentException("bad input");
            });
    CompletableFuture<String> next = writer.submit(() -> CommandResult.of(new Note("a"), "ok"));

    // A command that fails with anything but an AWS error has a bug: the client sees a 500.
    assertThat(failureOf(failed))
        .isInstanceOfSatisfying(
            AwsException.class, e -> assertThat(e.code()).isEqualTo("ServerException"));
    assertThat(next.get(5, SECONDS)).isEqualTo("ok");
    assertThat(replayed).containsExactly(new Note("a"));
  }

  @Test
  void commandWithoutRecordsAnswersAtOnceWithoutTouchingTheStore() throws Exception {
    FakeStore store = FakeStore.pending();
    // Even a store that refuses writes does not matter to a command that changes nothing.
    store.refuseWrites(new IOException("disk full"));
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of("unchanged"));

    assertThat(answer).isCompletedWithValue("unchanged");
    assertThat(store.commitCalls()).isZero();
    assertThat(replayed).isEmpty();
  }

  @Test
  void failedCommitFailsTheFutureWithServerException() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    store.failNext(new IOException("disk full"));

    assertThat(failureOf(answer))
        .isInstanceOfSatisfying(
            AwsException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo("ServerException");
              assertThat(failure.status()).isEqualTo(500);
              assertThat(failure.getMessage()).contains("disk full");
            });
  }

  @Test
  void commandsPipelinedBehindAFailedCommitFailToo() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    store.failNext(new IOException("disk full"));

    assertThat(failureOf(first)).isInstanceOf(AwsException.class);
    assertThat(failureOf(second))
        .isInstanceOfSatisfying(
            AwsException.class, failure -> assertThat(failure.code()).isEqualTo("ServerException"));
  }

  @Test
  void storeThatRefusesTheBatchLeavesMemoryUnchangedAndAnswersServerException() throws Exception {
    FakeStore store = FakeStore.pending();
    store.refuseWrites(new IOException("disk full"));
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of(new Note("a"), "a"));

    assertThat(failureOf(answer))
        .isInstanceOfSatisfying(
            AwsException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo("ServerException");
              assertThat(failure.status()).isEqualTo(500);
              assertThat(failure.getMessage()).contains("disk full");
            });
    assertThat(store.commitCalls()).isEqualTo(1);
    assertThat(store.batches()).isEmpty();
    assertThat(replayed).isEmpty();
  }

  @Test
  void afterAFailedCommitLaterCommandsAreRefusedWithoutChangingMemory() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);
    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    store.failNext(new IOException("disk full"));

    CompletableFuture<String> later = writer.submit(() -> CommandResult.of(new Note("b"), "b"));

    assertThat(failureOf(first)).isInstanceOf(AwsException.class);
    assertThat(failureOf(later)).isInstanceOf(AwsException.class);
    // The failed batch was replayed when it was handed over; the refused one never is.
    assertThat(replayed).containsExactly(new Note("a"));
  }

  @Test
  void manyCommandsPipelineIntoTheStoreBeforeTheFirstIsDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    List<CompletableFuture<String>> answers = new ArrayList<>();
    try (ExecutorService commandThread = Executors.newSingleThreadExecutor()) {
      StateWriter writer = writer(store, commandThread);
      for (String text : List.of("a", "b", "c", "d", "e")) {
        answers.add(writer.submit(() -> CommandResult.of(new Note(text), text)));
      }
      // Commands run in order, so once this one has answered the five before it have run.
      writer.submit(() -> CommandResult.of("barrier")).get(5, SECONDS);

      assertThat(store.batches()).hasSize(5);
      assertThat(answers).allSatisfy(answer -> assertThat(answer).isNotDone());

      store.completeNext();

      assertThat(answers.get(0).get(5, SECONDS)).isEqualTo("a");
      assertThat(answers.subList(1, 5)).allSatisfy(answer -> assertThat(answer).isNotDone());

      store.completeAll();

      List<String> responses = new ArrayList<>();
      for (CompletableFuture<String> answer : answers) {
        responses.add(answer.get(5, SECONDS));
      }
      assertThat(responses).containsExactly("a", "b", "c", "d", "e");
    }
  }

  private StateWriter writer(FakeStore store, Executor executor) {
    return new StateWriter(store, executor, replayed::add);
  }

  /** Returns what the future failed with, failing the test if it completed normally. */
  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(5, SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future completed normally");
  }
}
