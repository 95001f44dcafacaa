package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQLite store on a real filesystem that fills up (a small tmpfs, which needs root): a batch
 * that does not fit fails and leaves none of its rows, and writes resume by themselves once space
 * is freed, without reopening the store.
 */
class SqliteFullDiskTest {
  private static final String KIND = "note";

  private Path mount;

  @BeforeEach
  void mountSmallFilesystem() throws Exception {
    mount = Files.createTempDirectory("berth-full-disk-");
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString()) == 0,
        "mounting a small tmpfs needs root");
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", mount.toString());
    try (Stream<Path> paths = Files.walk(mount)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void batchThatDoesNotFitLeavesNoRowAndWritesResumeOnceSpaceIsFreed() throws Exception {
    Path file = mount.resolve("berth.db");
    List<String> acknowledged = new ArrayList<>();
    String failedKey = null;
    try (SqliteStore store = SqliteStore.open(file)) {
      commit(store, "before");
      acknowledged.add("before");
      Path filler = mount.resolve("filler");
      fill(filler);

      for (int i = 0; i < 200 && failedKey == null; i++) {
        String key = "batch-" + i;
        try {
          commit(store, key);
          acknowledged.add(key);
        } catch (ExecutionException full) {
          failedKey = key;
        }
      }
      assertThat(failedKey).as("a batch failed on the full disk").isNotNull();
      assertThat(store.writeFailure()).containsIgnoringCase("full");
      assertThat(store.get(KIND, failedKey)).isNull();

      Files.delete(filler);
      commit(store, "after");
      acknowledged.add("after");

      assertThat(store.writeFailure()).isNull();
      assertThat(store.get(KIND, failedKey)).isNull();
    }
    try (SqliteStore reopened = SqliteStore.open(file)) {
      assertThat(reopened.load(KIND))
          .extracting(Row::key)
          .containsExactlyInAnyOrderElementsOf(acknowledged);
    }
  }

  /** Commits two rows under the key, each with a 100 KB body, and waits until durable. */
  private static void commit(Store store, String key) throws Exception {
    String body = "\"" + "x".repeat(100_000) + "\"";
    store
        .commit(List.of(Mutation.put(KIND, key, body), Mutation.put(KIND + "-twin", key, body)))
        .get(10, TimeUnit.SECONDS);
  }

  /** Writes zeros to the file until the filesystem is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).containsIgnoringCase("space");
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }
}
