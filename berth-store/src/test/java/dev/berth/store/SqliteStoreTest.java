package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreConformanceTest {
  @TempDir Path directory;

  @Override
  protected Store open() {
    return SqliteStore.open(file());
  }

  @Override
  protected long transactions(Store store) {
    return ((SqliteStore) store).transactions();
  }

  @Test
  void openCreatesTheParentDirectoriesAndAWalDatabase() throws SQLException {
    open().close();

    assertThat(file()).isRegularFile();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA journal_mode")) {
      result.next();
      assertThat(result.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void openRecordsEachSchemaVersionOnce() throws SQLException {
    open().close();
    open().close();

    List<Integer> versions = new ArrayList<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      while (result.next()) {
        versions.add(result.getInt(1));
      }
    }
    assertThat(versions)
        .isEqualTo(IntStream.rangeClosed(1, Migrations.ALL.size()).boxed().toList());
  }

  @Test
  void openRefusesASchemaNewerThanThisBerthKnows() throws SQLException {
    open().close();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO schema_version (version, description) VALUES (999, 'future')");
    }

    assertThatThrownBy(this::open)
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage(
            "schema version 999 is newer than this Berth knows (" + Migrations.ALL.size() + ")");
  }

  @Test
  void readsFailOnceClosed() {
    Store store = open();
    store.close();

    assertThatThrownBy(() -> store.load("task")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.get("task", "a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeFromACompletionCallbackDoesNotDeadlock() {
    Store store = open();

    store.commit(List.of(Mutation.put("task", "a", "1"))).thenRun(store::close).join();

    assertThatThrownBy(() -> store.commit(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void committedFramesReachTheDatabaseFileBeforeTheWriterWouldCopyThem() throws Exception {
    SqliteStore store = SqliteStore.open(file());
    try {
      long before = Files.size(file());
      String body = "x".repeat(2_000);
      // Fifty transactions of a few frames each stay far below the writer's own checkpoint.
      for (int i = 0; i < 50; i++) {
        store.commit(List.of(Mutation.put("row", "key-" + i, body))).join();
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(Files.size(file())).isGreaterThan(before + 50 * body.length()));
    } finally {
      store.close();
    }
  }

  @Test
  void theWalStartsOverUnderContinuousWrites() throws Exception {
    SqliteStore store = SqliteStore.open(file());
    try {
      String body = "x".repeat(1_000);
      // One transaction each, so these write several times the frames the WAL may hold.
      for (int i = 0; i < 2_000; i++) {
        store.commit(List.of(Mutation.put("row", "key-" + i, body))).join();
      }

      // SQLite writes a restarted WAL over its old frames, so its file is as long as the WAL ever
      // was; a frame is a page of 4,096 bytes behind a header of 24.
      Path wal = file().resolveSibling(file().getFileName() + "-wal");
      assertThat(Files.size(wal))
          .isLessThan(2L * WalCheckpointer.WRITER_FRAMES * (4_096 + 24))
          .isGreaterThan(0);
    } finally {
      store.close();
    }
  }

  private Path file() {
    return directory.resolve("state").resolve("berth.db");
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file());
  }
}
