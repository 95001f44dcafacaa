package dev.berth.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A process for {@link SqliteCrashTest}: commits batches to a store as fast as it can and prints
 * the key of each batch once its future has completed, until it is killed.
 *
 * <p>Each batch puts the same key under two kinds, so the test can also check that a crash never
 * leaves half a batch. The process stops by itself after a while, so that it cannot outlive a test
 * that died before killing it.
 */
public final class AcknowledgingWriter {
  /** The kinds each batch writes one row of. */
  static final List<String> KINDS = List.of("crash", "crash-pair");

  private AcknowledgingWriter() {}

  /** Writes to the store at {@code args[0]} for at most {@code args[1]} seconds. */
  public static void main(String[] args) throws InterruptedException {
    Store store = SqliteStore.open(Path.of(args[0]));
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
    // Unbuffered, so what the parent reads is exactly what was acknowledged before the kill.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    // Keep many batches in flight, so the kill lands among transactions of several batches.
    Semaphore inFlight = new Semaphore(256);
    for (long i = 0; System.nanoTime() < deadline; i++) {
      inFlight.acquire();
      String key = String.format("key-%012d", i);
      String body = "{\"n\":" + i + "}";
      store
          .commit(KINDS.stream().map(kind -> Mutation.put(kind, key, body)).toList())
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  failure.printStackTrace();
                  Runtime.getRuntime().halt(2);
                }
                out.println(key);
                inFlight.release();
              });
    }
    store.close();
  }
}
