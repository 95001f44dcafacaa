package dev.berth.server.statemachine;

import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import dev.berth.store.Mutation;
import dev.berth.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one part of the state (a cluster, a region's task definitions, a region's
 * load balancers): runs its commands one at a time, in submission order, on a shared executor, and
 * makes nothing visible before the store has made it durable.
 *
 * <p>A command reads the state and returns the records it wants and its answer. The writer hands
 * the records to the store and, only once the store says they are durable, publishes them: applies
 * them to the committed state that every reader sees, answers the callers, and then runs its one
 * post-commit hook ({@link AfterCommit}: agent pushes) with the batch's records. Effects never run
 * from a command, from replay at start-up, or for a failed commit. A failed commit leaves no trace:
 * its callers, and every caller whose command saw its records, get a ServerException, and the next
 * command runs against the committed state as if the failed ones had never run; writes resume by
 * themselves as soon as the store takes them again.
 *
 * <p>Two ways to keep memory. A writer over a {@link Memory} runs its next command only once the
 * previous one's records are durable: simple, and enough for state that changes rarely. A writer
 * over a {@link WorkingMemory} pipelines: its commands run against a working copy that already
 * holds the records of the commands before them, so that the commands that queue while one commit
 * is in flight all go to the store together in the next one (the store's group commit does the rest
 * across writers). One batch of a writer is in flight at a time, so a failure is known before
 * anything that depends on it is handed to the store. Such a writer publishes its durable batches
 * apart from its commands, one batch at a time and in commit order, on a task of its executor: the
 * commands of the next batch run meanwhile, instead of waiting behind the second replay, the
 * answers and whatever the callers chained to them (the answers complete there, never on the
 * store's completer thread nor on the writer's).
 */
public final class StateWriter {
  /** The memory a writer keeps: the committed state every reader sees. */
  @FunctionalInterface
  public interface Memory {
    /** Applies a record the store has made durable to the state that readers see. */
    void applyCommitted(StateRecord record);

    /**
     * Brings views derived from the committed state up to it once a whole durable batch is applied,
     * before its callers are answered (e.g. the load balancers' data plane, which serves what the
     * API answered); by default nothing. Effects beyond the process belong in {@link AfterCommit}.
     */
    default void batchApplied() {}
  }

  /** Memory with a working copy ahead of the store, which the writer's commands see. */
  public interface WorkingMemory extends Memory {
    /** Applies a record a command has just returned to the working copy. */
    void applyWorking(StateRecord record);

    /** Drops whatever the working copy holds beyond the committed state. */
    void resetWorking();
  }

  private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

  /** The most mutations a writer gathers for one commit while the previous one is in flight. */
  static final int MAX_BATCH_MUTATIONS = 10_000;

  private final Store store;
  private final Executor executor;
  private final Memory memory;
  private final WorkingMemory working;
  private final AfterCommit afterCommit;
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Throwable[]> outcome = new AtomicReference<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  // Set by the publishing task once it has rebuilt the working copy after a failure.
  private final AtomicBoolean workingRebuilt = new AtomicBoolean();
  private volatile Thread commandThread;

  // Confined to the thread draining the writer (one at a time, handed over through `scheduled`).
  private Batch gathering = new Batch();
  private Batch inFlight;
  private boolean workingBroken;
  private boolean rebuildQueued;
  // The last publishing step queued: each runs after the one before, so batches publish in order.
  private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);

  /** Creates a writer that runs a command only once the previous one's records are durable. */
  public StateWriter(Store store, Executor executor, Memory memory) {
    this(store, executor, memory, AfterCommit.NONE);
  }

  /**
   * Creates a writer as above whose commits are followed by the hook given, once per durable batch.
   */
  public StateWriter(Store store, Executor executor, Memory memory, AfterCommit afterCommit) {
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
    this.memory = requireNonNull(memory);
    this.working = memory instanceof WorkingMemory pipelined ? pipelined : null;
    this.afterCommit = requireNonNull(afterCommit);
  }

  /** Schedules a command; the future completes with its response once its records are durable. */
  public <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    requireNonNull(command);
    CompletableFuture<T> answer = new CompletableFuture<>();
    commands.add(() -> run(command, answer));
    schedule();
    return answer;
  }

  /**
   * Returns true on the thread that is running one of this writer's commands: the one place where
   * the working copy, not the committed state, is the state to read.
   */
  public boolean inCommand() {
    return Thread.currentThread() == commandThread;
  }

  private <T> void run(Supplier<CommandResult<T>> command, CompletableFuture<T> answer) {
    CommandResult<T> result;
    List<Mutation> mutations;
    commandThread = Thread.currentThread();
    try {
      result = requireNonNull(command.get(), "command result");
      mutations = new ArrayList<>(result.records().size());
      for (StateRecord record : result.records()) {
        mutations.add(record.toMutation());
      }
    } catch (AwsException e) {
      // The refusal may rest on records not yet durable: it waits for them, and fails with them.
      answer(new Answer<>(answer, null, e));
      return;
    } catch (Throwable e) {
      // A bug in a command: nothing was applied or handed to the store.
      LOG.error("state command failed unexpectedly", e);
      answer.completeExceptionally(serverError("The request could not be processed."));
      return;
    } finally {
      commandThread = null;
    }
    if (working != null && !result.records().isEmpty()) {
      try {
        result.records().forEach(working::applyWorking);
      } catch (Throwable e) {
        LOG.error("applying a command's records to the working state failed", e);
        answer.completeExceptionally(serverError("The change could not be applied."));
        discardWorking(serverError("The change could not be applied."));
        return;
      }
    }
    gathering.records.addAll(result.records());
    gathering.mutations.addAll(mutations);
    answer(new Answer<>(answer, result.response(), null));
  }

  /** Answers at once if nothing is pending, else once what the command saw is published. */
  private void answer(Answer<?> answer) {
    if (inFlight == null && gathering.mutations.isEmpty() && published.isDone()) {
      answer.complete();
    } else {
      gathering.answers.add(answer);
    }
  }

  /** Hands the gathered batch to the store if none is in flight. */
  private void handOver() {
    if (inFlight != null || gathering.isEmpty()) {
      return;
    }
    Batch batch = gathering;
    gathering = new Batch();
    if (batch.mutations.isEmpty()) {
      // Answers that rest on batches still being published wait for them.
      publish(() -> batch.answers.forEach(Answer::complete));
      return;
    }
    inFlight = batch;
    CompletableFuture<Void> durable;
    try {
      durable = store.commit(batch.mutations);
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    durable.whenComplete(
        (ignored, failure) -> {
          // On the store's completer thread: only note the outcome and wake the writer.
          outcome.set(new Throwable[] {failure});
          schedule();
        });
  }

  /** Publishes the in-flight batch once durable, or discards it and what depended on it. */
  private void settle(Throwable failure) {
    Batch batch = inFlight;
    inFlight = null;
    if (failure != null) {
      AwsException error = storeFailure(failure);
      batch.answers.forEach(answer -> answer.fail(error));
      discardWorking(error);
      return;
    }
    publish(() -> published(batch));
    if (workingBroken) {
      rebuildWorking();
    }
  }

  /** Applies a durable batch to the committed state, answers its callers and runs the hook. */
  private void published(Batch batch) {
    try {
      batch.records.forEach(memory::applyCommitted);
      memory.batchApplied();
    } catch (Throwable e) {
      // Durable but not wholly applied: readers may miss part of it until a restart reloads it.
      LOG.error("applying committed records failed; restart Berth to reload its state", e);
    }
    batch.answers.forEach(Answer::complete);
    try {
      afterCommit.committed(Collections.unmodifiableList(batch.records));
    } catch (Throwable e) {
      // The batch is durable and answered: an effect's failure must not undo or fail it. What the
      // effect missed follows from the state at the next batch or the next start.
      LOG.error("post-commit effect failed", e);
    }
  }

  /**
   * Runs a publishing step after the ones before it: at once on the writer for a writer without a
   * working copy (whose next command must read what this step applies), else on a task of the
   * executor, so that the writer's commands go on meanwhile.
   */
  private void publish(Runnable step) {
    if (working == null) {
      step.run();
      return;
    }
    published =
        published.handleAsync(
            (ignored, failure) -> {
              try {
                step.run();
              } catch (Throwable e) {
                // A step that throws would end the chain and every later batch's publication.
                LOG.error("publishing a batch failed", e);
              }
              return null;
            },
            executor);
  }

  /** Fails every command that saw records not yet durable and rebuilds the working copy. */
  private void discardWorking(AwsException error) {
    gathering.answers.forEach(answer -> answer.fail(error));
    gathering = new Batch();
    if (working == null) {
      return;
    }
    // Take no command until the working copy is rebuilt from the committed state: after the batch
    // in flight settles (it may still commit), and after what is being published.
    workingBroken = true;
    if (inFlight == null) {
      rebuildWorking();
    }
  }

  /** Queues the rebuild of the working copy after the batches being published. */
  private void rebuildWorking() {
    if (rebuildQueued) {
      return;
    }
    rebuildQueued = true;
    publish(
        () -> {
          working.resetWorking();
          workingRebuilt.set(true);
          schedule();
        });
  }

  private boolean takesCommands() {
    return !workingBroken
        && (inFlight == null
            || (working != null && gathering.mutations.size() < MAX_BATCH_MUTATIONS));
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    // The flag guarantees a single drainer at a time; whoever sets it last runs what is left.
    while (true) {
      try {
        work();
      } finally {
        scheduled.set(false);
      }
      boolean more =
          outcome.get() != null || workingRebuilt.get() || (!commands.isEmpty() && takesCommands());
      if (!more || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void work() {
    while (true) {
      if (workingRebuilt.getAndSet(false)) {
        workingBroken = false;
        rebuildQueued = false;
      }
      Throwable[] settled = outcome.getAndSet(null);
      if (settled != null) {
        settle(settled[0]);
      } else if (takesCommands()) {
        Runnable next = commands.poll();
        if (next == null) {
          handOver();
          return;
        }
        next.run();
      } else {
        return;
      }
      handOver();
    }
  }

  private static AwsException storeFailure(Throwable failure) {
    LOG.error("store commit failed; the change is not acknowledged", failure);
    return serverError("The change could not be made durable: " + rootMessage(failure));
  }

  private static AwsException serverError(String message) {
    // The cause is logged where it happened; the client learns only that the server failed.
    return new AwsException("ServerException", 500, message);
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause.getMessage());
  }

  /** The commands gathered for one commit: their records, mutations and answers, in order. */
  private static final class Batch {
    final List<StateRecord> records = new ArrayList<>();
    final List<Mutation> mutations = new ArrayList<>();
    final List<Answer<?>> answers = new ArrayList<>();

    boolean isEmpty() {
      return mutations.isEmpty() && answers.isEmpty();
    }
  }

  /** A caller's future with what to complete it with once the batch settles. */
  private record Answer<T>(CompletableFuture<T> future, T response, AwsException refusal) {
    void complete() {
      if (refusal == null) {
        future.complete(response);
      } else {
        future.completeExceptionally(refusal);
      }
    }

    void fail(AwsException error) {
      future.completeExceptionally(error);
    }
  }
}
