package dev.berth.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The placement benchmark's clients: signed RunTask calls of up to 10 tasks each, on several
 * keep-alive connections with one call in flight on each, until the tasks to place run out. Each
 * connection sends its next call from the answer to its last, on the caller's event-loop thread.
 */
final class RunTaskCalls {
  private static final int TASKS_PER_CALL = 10;
  private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

  private final SignedEcsCaller caller;
  private final PrintStream err;
  // The inputs by count: every call but perhaps the last sends the one for 10.
  private final byte[][] inputs = new byte[TASKS_PER_CALL + 1][];
  private final AtomicInteger remaining;
  private final AtomicLong placed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * Creates the calls placing that many tasks with the request (RunTask's input without {@code
   * count}); the first failures the answers give are printed to {@code err}.
   */
  RunTaskCalls(SignedEcsCaller caller, ObjectNode request, int tasks, PrintStream err) {
    this.caller = requireNonNull(caller);
    this.err = requireNonNull(err);
    this.remaining = new AtomicInteger(tasks);
    for (int count = 1; count <= TASKS_PER_CALL; count++) {
      try {
        inputs[count] = Json.MAPPER.writeValueAsBytes(request.deepCopy().put("count", count));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Places the tasks through that many connections; returns the latency of every call once all have
   * been answered, or throws what failed a call.
   */
  Histogram run(int connections) throws Exception {
    List<CompletableFuture<Histogram>> done = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      CompletableFuture<Histogram> connectionDone = new CompletableFuture<>();
      done.add(connectionDone);
      callNext(caller.connect(), new Histogram(MAX_LATENCY_NANOS, 3), connectionDone);
    }
    Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    for (CompletableFuture<Histogram> connectionDone : done) {
      latency.add(connectionDone.get());
    }
    return latency;
  }

  /** Returns the number of tasks the answers said were started. */
  long placed() {
    return placed.get();
  }

  /** Returns the number of failures the answers gave. */
  long failures() {
    return failures.get();
  }

  /**
   * Sends the connection's next call, if tasks remain, recording its latency; completes {@code
   * done} with the connection's latencies when none remain.
   */
  private void callNext(
      SignedEcsCaller.Connection connection, Histogram latency, CompletableFuture<Histogram> done) {
    int count = take();
    if (count == 0) {
      done.complete(latency);
      return;
    }
    long start = System.nanoTime();
    connection
        .call("RunTask", inputs[count], RunTaskAnswer::read)
        .thenAccept(answer -> count(answer, System.nanoTime() - start, latency))
        .whenComplete(
            (counted, failure) -> {
              if (failure != null) {
                done.completeExceptionally(
                    failure instanceof CompletionException wrapped ? wrapped.getCause() : failure);
              } else {
                // On the event-loop thread that read the answer, whose stack unwinds before the
                // next answer arrives.
                callNext(connection, latency, done);
              }
            });
  }

  private void count(RunTaskAnswer answer, long nanos, Histogram latency) {
    latency.recordValue(nanos);
    placed.addAndGet(answer.tasks());
    if (!answer.failures().isEmpty() && failures.getAndAdd(answer.failures().size()) == 0) {
      err.println("RunTask failures: " + answer.failures());
    }
  }

  /** Takes up to 10 of the remaining tasks; returns how many, 0 once none remain. */
  private int take() {
    while (true) {
      int left = remaining.get();
      int count = Math.min(TASKS_PER_CALL, left);
      if (count == 0 || remaining.compareAndSet(left, left - count)) {
        return count;
      }
    }
  }
}
