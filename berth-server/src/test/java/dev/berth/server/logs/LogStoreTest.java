package dev.berth.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.AwsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreTest {
  @TempDir Path dir;

  @Test
  void aJobFailingWithCloudWatchLogsErrorLeavesNoTraceAndFailsNoOther() throws Exception {
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      CountDownLatch release = new CountDownLatch(1);
      // The first job holds the writer so that the next three are written as one group.
      CompletableFuture<Object> holding = store.write(0, connection -> awaitQuietly(release));
      CompletableFuture<Integer> first = store.write(0, connection -> insertGroup(connection, "a"));
      CompletableFuture<Integer> failing =
          store.write(
              0,
              connection -> {
                insertGroup(connection, "b");
                throw LogsErrors.groupExists();
              });
      CompletableFuture<Integer> third = store.write(0, connection -> insertGroup(connection, "c"));
      release.countDown();
      holding.join();
      assertThat(first.join()).isEqualTo(1);
      assertThat(third.join()).isEqualTo(1);
      assertThatThrownBy(failing::join)
          .cause()
          .isInstanceOf(AwsException.class)
          .hasMessage("The specified log group already exists");
      assertThat(store.read(LogStoreTest::groupNames).join()).isEqualTo("a,c");
    }
  }

  @Test
  void eventsWaitingBeyondTheBoundAreRefusedWithServiceUnavailable() {
    try (LogStore store = LogStore.open(dir, 1000)) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> holding = store.write(0, connection -> awaitQuietly(release));
      CompletableFuture<Object> queued = store.write(600, connection -> null);
      CompletableFuture<Object> refused = store.write(600, connection -> null);
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .extracting(e -> ((AwsException) e).code())
          .isEqualTo("ServiceUnavailableException");
      release.countDown();
      holding.join();
      queued.join();
      assertThat(store.queuedBytes()).isZero();
      // Once the writer has caught up, the same batch is taken.
      assertThat(store.write(600, connection -> "ok").join()).isEqualTo("ok");
    }
  }

  @Test
  void theLogsHaveAPrivateFileOfTheirOwnThatKeepsWhatWasWrittenAcrossAReopen() throws Exception {
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      store.write(0, connection -> insertGroup(connection, "kept")).join();
    }
    assertThat(dir.resolve(LogStore.FILE)).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("logs.db"))))
        .isEqualTo("rw-------");
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      assertThat(store.read(LogStoreTest::groupNames).join()).isEqualTo("kept");
    }
  }

  private static Object awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private static int insertGroup(java.sql.Connection connection, String name)
      throws java.sql.SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO log_groups (region, name, created, group_class, deletion_protection, tags)"
                + " VALUES ('us-east-1', ?, 0, 'STANDARD', 0, '{}')")) {
      insert.setString(1, name);
      return insert.executeUpdate();
    }
  }

  private static String groupNames(java.sql.Connection connection) throws java.sql.SQLException {
    StringBuilder names = new StringBuilder();
    try (PreparedStatement query =
            connection.prepareStatement("SELECT name FROM log_groups ORDER BY name");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        names.append(names.isEmpty() ? "" : ",").append(rows.getString(1));
      }
    }
    return names.toString();
  }
}
