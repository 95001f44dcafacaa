package dev.berth.server.logs;

import static java.util.Objects.requireNonNull;

import dev.berth.store.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sqlite.SQLiteConfig;

/**
 * Where CloudWatch Logs keeps its groups, streams and events: a SQLite file of its own beside the
 * cluster state's store ({@code logs.db}), so that log traffic never takes the state store's write
 * lock, never shares its WAL or its syncs, and can be measured, capped and deleted on its own.
 *
 * <p>Writes go through one {@link LogWriter} (group commit, synced before they are answered); reads
 * run on virtual threads over a small pool of read-only connections, which WAL lets read while the
 * writer writes.
 */
public final class LogStore implements AutoCloseable {
  /** The file in the data directory that holds the logs. */
  public static final String FILE = "logs.db";

  private static final int SCHEMA_VERSION = 1;
  private static final int READERS = 4;
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private static final List<String> SCHEMA =
      List.of(
          // AUTOINCREMENT: an id is never reused, so a deleted and recreated group or stream is a
          // new one, and an event's id, its eventId, names one event forever.
          """
          CREATE TABLE IF NOT EXISTS log_groups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            created INTEGER NOT NULL,
            retention_days INTEGER,
            kms_key_id TEXT,
            group_class TEXT NOT NULL,
            deletion_protection INTEGER NOT NULL,
            stored_bytes INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL,
            UNIQUE (region, name))""",
          """
          CREATE TABLE IF NOT EXISTS log_streams (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            created INTEGER NOT NULL,
            first_event INTEGER,
            last_event INTEGER,
            last_ingestion INTEGER,
            sequence INTEGER NOT NULL DEFAULT 0,
            UNIQUE (group_id, name))""",
          """
          CREATE TABLE IF NOT EXISTS log_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id INTEGER NOT NULL,
            stream_id INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            ingestion INTEGER NOT NULL,
            message TEXT NOT NULL)""",
          "CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (stream_id, timestamp, id)",
          "CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (group_id, timestamp, id)");

  private final Path file;
  private final LogWriter writer;
  private final BlockingQueue<Connection> readers;
  private final ExecutorService readThreads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-logs-read-", 0).factory());

  private LogStore(Path file, LogWriter writer, BlockingQueue<Connection> readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
  }

  /**
   * Opens the logs' file in the data directory, creating it (mode 0600) and its schema; at most
   * {@code maxQueuedBytes} of log events wait for the writer.
   */
  public static LogStore open(Path dataDir, long maxQueuedBytes) {
    Path path = dataDir.resolve(FILE).toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the directory of " + path, e);
    }
    DataDirectory.createPrivateFile(path);
    BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    Connection writerConnection = null;
    try {
      writerConnection = connect(path, false);
      migrate(writerConnection, path);
      for (int i = 0; i < READERS; i++) {
        readers.add(connect(path, true));
      }
      return new LogStore(path, new LogWriter(writerConnection, maxQueuedBytes), readers);
    } catch (SQLException e) {
      closeAll(readers);
      if (writerConnection != null) {
        try {
          writerConnection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("could not open the logs' store " + path, e);
    }
  }

  /** Returns the file the logs are kept in. */
  public Path file() {
    return file;
  }

  /**
   * Queues work for the writer, carrying the bytes of log events given; the future completes once
   * it is durable (see {@link LogWriter#submit}).
   */
  <T> CompletableFuture<T> write(long bytes, LogWriter.Work<T> work) {
    return writer.submit(bytes, work);
  }

  /** Runs a read on a virtual thread over one of the read connections. */
  <T> CompletableFuture<T> read(LogWriter.Work<T> work) {
    requireNonNull(work);
    return CompletableFuture.supplyAsync(
        () -> {
          Connection connection;
          try {
            connection = readers.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LogsErrors.unavailable("Interrupted.");
          }
          try {
            return work.run(connection);
          } catch (SQLException e) {
            throw new IllegalStateException("could not read the logs' store " + file, e);
          } finally {
            readers.add(connection);
          }
        },
        readThreads);
  }

  /** Returns the bytes of log events queued for the writer. */
  long queuedBytes() {
    return writer.queuedBytes();
  }

  /** Writes what is queued, then closes every connection. */
  @Override
  public void close() {
    writer.close();
    readThreads.shutdown();
    closeAll(readers);
  }

  private static void closeAll(BlockingQueue<Connection> connections) {
    for (Connection connection = connections.poll();
        connection != null;
        connection = connections.poll()) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing: nothing left to protect.
      }
    }
  }

  private static void migrate(Connection connection, Path path) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      int version;
      try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
        version = result.next() ? result.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException(
            path
                + " has schema version "
                + version
                + ", newer than this Berth's "
                + SCHEMA_VERSION);
      }
      for (String sql : SCHEMA) {
        statement.execute(sql);
      }
      statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
    }
  }

  private static Connection connect(Path path, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL syncs the WAL on every commit: events PutLogEvents accepted survive a power cut.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setReadOnly(readOnly);
    return config.createConnection("jdbc:sqlite:" + path);
  }
}
