package dev.berth.server.statemachine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.AwsException;
import dev.berth.store.Mutation;
import java.io.IOException;
import java.time.Duration;
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
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
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

  /** A memory of these tests: the notes committed, and the notes its commands see. */
  private static final class Notes implements StateWriter.WorkingMemory {
    final List<StateRecord> committed = Collections.synchronizedList(new ArrayList<>());
    final List<StateRecord> working = Collections.synchronizedList(new ArrayList<>());
    int resets;

    @Override
    public void applyCommitted(StateRecord record) {
      committed.add(record);
    }

    @Override
    public void applyWorking(StateRecord record) {
      working.add(record);
    }

    @Override
    public void resetWorking() {
      resets++;
      synchronized (working) {
        working.clear();
        working.addAll(committed);
      }
    }
  }

  private final Notes notes = new Notes();
  private final List<StateRecord> replayed = notes.committed;

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
  void aCommandSeesEarlierCommandsRecordsThatReadersSeeOnlyOnceDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<List<StateRecord>> second =
        writer.submit(() -> CommandResult.of(List.copyOf(notes.working)));

    assertThat(notes.working).containsExactly(new Note("a"));
    assertThat(notes.committed).isEmpty();
    // The second answer rests on the first command's record: it waits until that is durable.
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    store.completeNext();

    assertThat(notes.committed).containsExactly(new Note("a"));
    assertThat(first.get(5, SECONDS)).isEqualTo("a");
    assertThat(second.get(5, SECONDS)).containsExactly(new Note("a"));
  }

  @Test
  void recordsAreAppliedInTheOrderTheCommandReturnedThem() throws Exception {
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
  void callerIsAnsweredAndReadersSeeTheChangeOnlyOnceTheStoreCommitCompletes() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of(new Note("a"), "done"));

    assertThat(store.batches()).hasSize(1);
    assertThat(store.batches().get(0).mutations()).containsExactly(new Note("a").toMutation());
    assertThat(answer).isNotDone();
    assertThat(notes.committed).isEmpty();

    store.completeNext();

    assertThat(answer.get(5, SECONDS)).isEqualTo("done");
    assertThat(notes.committed).containsExactly(new Note("a"));
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
    assertThat(notes.working).isEmpty();
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
  void commandWithoutRecordsAnswersAtOnceWhenNothingIsOnItsWayToTheStore() throws Exception {
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
  void failedCommitLeavesNoTraceForReadersOrLaterCommands() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> answer = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    store.failNext(new IOException("disk full"));
    CompletableFuture<List<StateRecord>> later =
        writer.submit(() -> CommandResult.of(List.copyOf(notes.working)));

    assertThat(failureOf(answer)).isInstanceOf(AwsException.class);
    assertThat(later.get(5, SECONDS)).isEmpty();
    assertThat(notes.committed).isEmpty();
    assertThat(notes.resets).isEqualTo(1);
  }

  @Test
  void everyCommandThatSawAFailedCommitFailsWithIt() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    CompletableFuture<Integer> readOnly =
        writer.submit(() -> CommandResult.of(notes.working.size()));
    AwsException refusal = new AwsException("InvalidParameterException", 400, "exists");
    CompletableFuture<String> refused =
        writer.submit(
            () -> {
              throw refusal;
            });
    store.failNext(new IOException("disk full"));

    assertThat(failureOf(first)).isInstanceOf(AwsException.class);
    for (CompletableFuture<?> dependent : List.of(second, readOnly, refused)) {
      assertThat(failureOf(dependent))
          .isInstanceOfSatisfying(
              AwsException.class,
              failure -> assertThat(failure.code()).isEqualTo("ServerException"));
    }
    // The second command's batch was never handed over: it rested on a batch that failed.
    assertThat(store.batches()).hasSize(1);
    assertThat(notes.committed).isEmpty();
    assertThat(notes.working).isEmpty();
  }

  @Test
  void writesResumeAfterAFailedCommitWithoutARestart() throws Exception {
    FakeStore store = FakeStore.pending();
    StateWriter writer = writer(store, DIRECT);
    CompletableFuture<String> failed = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    store.failNext(new IOException("disk full"));

    CompletableFuture<String> next = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    store.completeNext();

    assertThat(failureOf(failed)).isInstanceOf(AwsException.class);
    assertThat(next.get(5, SECONDS)).isEqualTo("b");
    assertThat(notes.committed).containsExactly(new Note("b"));
    assertThat(store.load("note")).extracting(row -> row.key()).containsExactly("b");
  }

  @Test
  void storeThatThrowsOnCommitLeavesMemoryUnchangedAndAnswersServerException() throws Exception {
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
    assertThat(notes.committed).isEmpty();
    assertThat(notes.working).isEmpty();

    store.takeWrites();
    CompletableFuture<String> next = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    store.completeNext();
    assertThat(next.get(5, SECONDS)).isEqualTo("b");
  }

  @Test
  void commandsQueuedWhileACommitIsInFlightGoToTheStoreTogetherInTheNextCommit() throws Exception {
    FakeStore store = FakeStore.pending();
    List<CompletableFuture<String>> answers = new ArrayList<>();
    try (ExecutorService commandThread = Executors.newSingleThreadExecutor()) {
      StateWriter writer = writer(store, commandThread);
      for (String text : List.of("a", "b", "c", "d", "e")) {
        answers.add(writer.submit(() -> CommandResult.of(new Note(text), text)));
      }
      CompletableFuture<Integer> seen = writer.submit(() -> CommandResult.of(notes.working.size()));
      await(() -> notes.working.size() == 5);

      // One batch of a writer is in flight at a time: the first alone, the rest gathered.
      assertThat(store.batches()).hasSize(1);
      assertThat(answers).allSatisfy(answer -> assertThat(answer).isNotDone());

      store.completeNext();

      assertThat(answers.get(0).get(5, SECONDS)).isEqualTo("a");
      await(() -> store.batches().size() == 2);
      assertThat(store.batches().get(1).mutations())
          .containsExactly(
              new Note("b").toMutation(),
              new Note("c").toMutation(),
              new Note("d").toMutation(),
              new Note("e").toMutation());
      assertThat(answers.subList(1, 5)).allSatisfy(answer -> assertThat(answer).isNotDone());

      store.completeNext();

      List<String> responses = new ArrayList<>();
      for (CompletableFuture<String> answer : answers) {
        responses.add(answer.get(5, SECONDS));
      }
      assertThat(responses).containsExactly("a", "b", "c", "d", "e");
      assertThat(seen.get(5, SECONDS)).isEqualTo(5);
      assertThat(notes.committed).hasSize(5);
    }
  }

  @Test
  void writerWithoutWorkingMemoryRunsTheNextCommandOnlyOnceThePreviousIsDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    List<StateRecord> committed = Collections.synchronizedList(new ArrayList<>());
    StateWriter writer = new StateWriter(store, DIRECT, committed::add);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<Integer> second = writer.submit(() -> CommandResult.of(committed.size()));

    assertThat(second).isNotDone();
    store.completeNext();

    assertThat(first.get(5, SECONDS)).isEqualTo("a");
    assertThat(second.get(5, SECONDS)).isEqualTo(1);
  }

  @Test
  void postCommitHookRunsOncePerDurableBatchAfterItsCallersAreAnsweredWithItsRecords()
      throws Exception {
    FakeStore store = FakeStore.pending();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<String>> answers = new ArrayList<>();
    StateWriter writer =
        new StateWriter(
            store,
            DIRECT,
            notes,
            records -> {
              seen.add(
                  "effect "
                      + records
                      + " committed "
                      + notes.committed.size()
                      + " answered "
                      + answers.stream().filter(CompletableFuture::isDone).count());
            });

    answers.add(writer.submit(() -> CommandResult.of(new Note("a"), "a")));
    answers.add(writer.submit(() -> CommandResult.of(new Note("b"), "b")));
    answers.add(writer.submit(() -> CommandResult.of(new Note("c"), "c")));
    assertThat(seen).isEmpty();

    store.completeNext();
    store.completeNext();

    assertThat(seen)
        .containsExactly(
            "effect [Note[text=a]] committed 1 answered 1",
            "effect [Note[text=b], Note[text=c]] committed 3 answered 3");
  }

  @Test
  void postCommitHookNeverRunsForAFailedCommitNorForItsDependents() throws Exception {
    FakeStore store = FakeStore.pending();
    List<List<StateRecord>> effects = Collections.synchronizedList(new ArrayList<>());
    StateWriter writer = new StateWriter(store, DIRECT, notes, effects::add);

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    store.failNext(new IOException("disk full"));

    assertThat(failureOf(first)).isInstanceOf(AwsException.class);
    assertThat(failureOf(second)).isInstanceOf(AwsException.class);
    assertThat(effects).isEmpty();

    CompletableFuture<String> third = writer.submit(() -> CommandResult.of(new Note("c"), "c"));
    store.completeNext();
    assertThat(third.get(5, SECONDS)).isEqualTo("c");
    assertThat(effects).containsExactly(List.of(new Note("c")));
  }

  @Test
  void failingPostCommitHookFailsNoCommandAndLaterBatchesStillRunIt() throws Exception {
    FakeStore store = FakeStore.pending();
    AtomicInteger calls = new AtomicInteger();
    StateWriter writer =
        new StateWriter(
            store,
            DIRECT,
            notes,
            records -> {
              calls.incrementAndGet();
              throw new IllegalStateException("agent gone");
            });

    CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
    store.completeNext();
    CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
    store.completeNext();

    assertThat(first.get(5, SECONDS)).isEqualTo("a");
    assertThat(second.get(5, SECONDS)).isEqualTo("b");
    assertThat(calls).hasValue(2);
    assertThat(notes.committed).containsExactly(new Note("a"), new Note("b"));
  }

  @Test
  void commandWithoutRecordsRunsNoPostCommitHook() throws Exception {
    FakeStore store = FakeStore.pending();
    List<List<StateRecord>> effects = Collections.synchronizedList(new ArrayList<>());
    StateWriter writer = new StateWriter(store, DIRECT, notes, effects::add);

    assertThat(writer.submit(() -> CommandResult.of("read")).get(5, SECONDS)).isEqualTo("read");

    assertThat(store.batches()).isEmpty();
    assertThat(effects).isEmpty();
  }

  @Test
  void commandsGoOnWhileADurableBatchIsPublishedAndItsCallersHearOnlyOnceItIs() throws Exception {
    FakeStore store = FakeStore.pending();
    CountDownLatch publishing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StateWriter.WorkingMemory slowToPublish =
        new StateWriter.WorkingMemory() {
          @Override
          public void applyCommitted(StateRecord record) {
            publishing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            notes.applyCommitted(record);
          }

          @Override
          public void applyWorking(StateRecord record) {
            notes.applyWorking(record);
          }

          @Override
          public void resetWorking() {
            notes.resetWorking();
          }
        };
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      StateWriter writer = new StateWriter(store, executor, slowToPublish);
      CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
      await(() -> store.batches().size() == 1);
      store.completeNext();
      publishing.await();

      // The first batch is durable but not yet published: the next command runs and goes to the
      // store meanwhile, while readers and the first caller still wait for the publication.
      CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
      await(() -> store.batches().size() == 2);
      assertThat(notes.working).containsExactly(new Note("a"), new Note("b"));
      assertThat(notes.committed).isEmpty();
      assertThat(first).isNotDone();
      store.completeNext();
      assertThat(second).isNotDone();

      release.countDown();
      assertThat(first.get(5, SECONDS)).isEqualTo("a");
      assertThat(second.get(5, SECONDS)).isEqualTo("b");
      assertThat(notes.committed).containsExactly(new Note("a"), new Note("b"));
    }
  }

  @Test
  void aFailedCommitWhileAnEarlierBatchIsPublishedRebuildsTheWorkingCopyFromItsState()
      throws Exception {
    FakeStore store = FakeStore.pending();
    CountDownLatch release = new CountDownLatch(1);
    StateWriter.WorkingMemory slowToPublish =
        new StateWriter.WorkingMemory() {
          @Override
          public void applyCommitted(StateRecord record) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            notes.applyCommitted(record);
          }

          @Override
          public void applyWorking(StateRecord record) {
            notes.applyWorking(record);
          }

          @Override
          public void resetWorking() {
            notes.resetWorking();
          }
        };
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      StateWriter writer = new StateWriter(store, executor, slowToPublish);
      CompletableFuture<String> first = writer.submit(() -> CommandResult.of(new Note("a"), "a"));
      await(() -> store.batches().size() == 1);
      store.completeNext();
      CompletableFuture<String> second = writer.submit(() -> CommandResult.of(new Note("b"), "b"));
      await(() -> store.batches().size() == 2);
      store.failNext(new IOException("disk full"));
      assertThat(failureOf(second)).isInstanceOf(AwsException.class);
      // No command runs on a working copy that still holds the failed record.
      CompletableFuture<List<StateRecord>> third =
          writer.submit(() -> CommandResult.of(List.copyOf(notes.working)));
      assertThat(third).isNotDone();

      release.countDown();
      assertThat(first.get(5, SECONDS)).isEqualTo("a");
      assertThat(third.get(5, SECONDS)).containsExactly(new Note("a"));
      assertThat(notes.committed).containsExactly(new Note("a"));
    }
  }

  private StateWriter writer(FakeStore store, Executor executor) {
    return new StateWriter(store, executor, notes);
  }

  /** Waits until the condition holds, failing the test after five seconds. */
  private static void await(BooleanSupplier condition) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
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
