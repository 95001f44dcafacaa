package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import dev.berth.store.Mutation;
import dev.berth.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one part of the state (a cluster, a region's task definitions): runs its
 * commands one at a time, in submission order, on a shared executor.
 *
 * <p>A command reads the current state and returns the records it wants; the writer hands them to
 * the store, replays them into memory at once so that the next command sees them, and answers the
 * caller only when the store says they are durable. Commands of one writer therefore pipeline into
 * the store's group commit instead of waiting for one disk flush each. If the store fails, it
 * refuses every later batch, so nothing is acknowledged that memory holds and disk does not.
 */
public final class StateWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

  private final Store store;
  private final Executor executor;
  private final Consumer<StateRecord> replay;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Creates a writer that persists to the store and applies records with the replay given. */
  public StateWriter(Store store, Executor executor, Consumer<StateRecord> replay) {
    this.store = requireNonNull(store);
    this.executor = requireNonNull(executor);
    this.replay = requireNonNull(replay);
  }

  /** Schedules a command; the future completes with its response once its records are durable. */
  public <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    requireNonNull(command);
    CompletableFuture<T> answer = new CompletableFuture<>();
    queue.add(() -> run(command, answer));
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
    return answer;
  }

  private <T> void run(Supplier<CommandResult<T>> command, CompletableFuture<T> answer) {
    CommandResult<T> result;
    List<Mutation> mutations;
    try {
      result = requireNonNull(command.get(), "command result");
      mutations = new ArrayList<>(result.records().size());
      for (StateRecord record : result.records()) {
        mutations.add(record.toMutation());
      }
    } catch (AwsException e) {
      answer.completeExceptionally(e);
      return;
    } catch (Throwable e) {
      // A bug in a command: nothing was handed to the store, so memory is unchanged.
      LOG.error("state command failed unexpectedly", e);
      answer.completeExceptionally(serverError("The request could not be processed.", e));
      return;
    }
    if (mutations.isEmpty()) {
      answer.complete(result.response());
      return;
    }
    CompletableFuture<Void> durable;
    try {
      durable = store.commit(mutations);
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    if (durable.isCompletedExceptionally()) {
      // Refused before anything changed: memory stays as it was.
      durable.whenComplete(
          (ignored, failure) -> answer.completeExceptionally(storeFailure(failure)));
      return;
    }
    try {
      result.records().forEach(replay);
    } catch (Throwable e) {
      // Memory may now hold part of a change the store is writing: only a restart, which
      // rebuilds memory from the store, makes the two agree again.
      LOG.error("replay failed; this part of the state needs a restart to be trusted again", e);
      answer.completeExceptionally(serverError("The change could not be applied.", e));
      return;
    }
    durable.whenComplete(
        (ignored, failure) -> {
          if (failure == null) {
            answer.complete(result.response());
          } else {
            answer.completeExceptionally(storeFailure(failure));
          }
        });
  }

  private void drain() {
    // Run what is queued; the flag guarantees a single drainer at a time.
    while (true) {
      Runnable next;
      try {
        while ((next = queue.poll()) != null) {
          next.run();
        }
      } finally {
        scheduled.set(false);
      }
      if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private static AwsException storeFailure(Throwable failure) {
    LOG.error("store commit failed; the change is not acknowledged", failure);
    return serverError("The change could not be made durable: " + rootMessage(failure), failure);
  }

  private static AwsException serverError(String message, Throwable cause) {
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
}
