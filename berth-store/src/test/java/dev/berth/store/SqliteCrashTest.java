package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a process that writes to a store and checks that the store kept what it acknowledged. */
@Timeout(120)
class SqliteCrashTest {
  /** How many acknowledgements to see before killing the writer. */
  private static final int ACKNOWLEDGED_BEFORE_KILL = 5_000;

  @TempDir Path directory;

  @Test
  void everyAcknowledgedBatchSurvivesAKill() throws Exception {
    Path file = directory.resolve("berth.db");
    Path errors = directory.resolve("writer.err");
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AcknowledgingWriter.class.getName(),
                file.toString(),
                "90")
            .redirectError(errors.toFile())
            .start();
    List<String> acknowledged;
    try {
      OutputCollector output = new OutputCollector(writer.getInputStream());
      Thread collecting = Thread.ofPlatform().name("crash-test-stdout").start(output);
      boolean enough = output.lines.await(60, TimeUnit.SECONDS);
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // The pipe ends when the process does; what it wrote before dying is still to be read.
      collecting.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(enough)
          .as(
              "writer acknowledged %d batches in time; its errors: %s",
              ACKNOWLEDGED_BEFORE_KILL - output.lines.getCount(), Files.readString(errors))
          .isTrue();
      acknowledged = output.completeLines();
    } finally {
      writer.destroyForcibly();
    }

    try (Store store = SqliteStore.open(file)) {
      Set<String> crash = keys(store, "crash");
      Set<String> pairs = keys(store, "crash-pair");
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
      assertThat(acknowledged.stream().filter(key -> !crash.contains(key)))
          .as("acknowledged but lost")
          .isEmpty();
      assertThat(crash.stream().filter(key -> !pairs.contains(key)))
          .as("batches written without their pair")
          .isEmpty();
      assertThat(pairs.stream().filter(key -> !crash.contains(key)))
          .as("pairs written without their batch")
          .isEmpty();
    }
  }

  /** Returns the keys of every row of a kind. */
  private static Set<String> keys(Store store, String kind) {
    return store.load(kind).stream().map(Row::key).collect(Collectors.toSet());
  }

  /** Reads a process's output to its end, counting down once per complete line. */
  private static final class OutputCollector implements Runnable {
    final CountDownLatch lines = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
    private final InputStream in;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    OutputCollector(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (bytes) {
            bytes.write(buffer, 0, n);
          }
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              lines.countDown();
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Returns the lines read so far that ended in a newline; a kill may cut the last one short. */
    List<String> completeLines() {
      String text;
      synchronized (bytes) {
        text = bytes.toString(StandardCharsets.UTF_8);
      }
      List<String> complete = new ArrayList<>(List.of(text.split("\n", -1)));
      complete.removeLast();
      return complete;
    }
  }
}
