package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode, written by one thread that commits whatever has
 * been handed over in one transaction and syncs it to disk before acknowledging it.
 *
 * <p>{@link #commit} throws {@link IllegalStateException} once the store is closed. A transaction
 * that fails (a full disk, an I/O error) is rolled back and fails the batches in it; the writer
 * goes on with the next, so writes resume by themselves once the disk takes them again. Reads share
 * one connection of their own; they are rare (start-up) and see every batch whose future has
 * completed. A third connection copies the WAL back into the database file beside the writer
 * ({@link WalCheckpointer}).
 */
public final class SqliteStore implements Store {
  /** How long a connection waits for a lock another connection holds before failing. */
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private final Path file;
  private final GroupCommitter committer;
  private final ReentrantLock readLock = new ReentrantLock();
  private final Connection reader;
  private boolean closed;

  private SqliteStore(Path file, GroupCommitter committer, Connection reader) {
    this.file = file;
    this.committer = committer;
    this.reader = reader;
  }

  /** Opens the store in a file, creating the file, its parent directories and its schema. */
  public static SqliteStore open(Path file) {
    Path path = requireNonNull(file).toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the directory of store " + path, e);
    }
    // sqlite-jdbc has no umask setting, but SQLite creates the -wal and -shm files with the
    // database file's mode: a database file made 0600 before SQLite opens it keeps all three
    // private from the first start. Existing ones are narrowed too, in case they were made looser.
    DataDirectory.createPrivateFile(path);
    Connection writer = null;
    Connection reader = null;
    Connection checkpointing = null;
    try {
      writer = connectWriter(path);
      requireWal(writer, path);
      Migrations.apply(writer, Migrations.ALL);
      reader = connect(path, true);
      checkpointing = connect(path, false);
      CheckpointedWriter batches =
          new CheckpointedWriter(
              new JdbcBatchWriter(writer, () -> connectWriter(path)),
              new WalCheckpointer(path.toString(), checkpointing));
      GroupCommitter committer = new GroupCommitter(path.toString(), batches);
      narrowFiles(path);
      return new SqliteStore(path, committer, reader);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(checkpointing, e);
      closeQuietly(reader, e);
      closeQuietly(writer, e);
      if (e instanceof SQLException) {
        throw new IllegalStateException("could not open store " + path, e);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public CompletableFuture<Void> commit(List<Mutation> mutations) {
    return committer.commit(requireNonNull(mutations));
  }

  @Override
  public List<Row> load(String kind) {
    requireNonNull(kind);
    return read(
        "SELECT kind, key, body FROM rows WHERE kind = ? ORDER BY key",
        List.of(kind),
        "rows of kind " + kind);
  }

  @Override
  public Row get(String kind, String key) {
    requireNonNull(kind);
    requireNonNull(key);
    List<Row> rows =
        read(
            "SELECT kind, key, body FROM rows WHERE kind = ? AND key = ?",
            List.of(kind, key),
            "row " + kind + "/" + key);
    return rows.isEmpty() ? null : rows.getFirst();
  }

  @Override
  public void close() {
    // Drain the writer first: reads stay possible until every handed-over batch is written.
    committer.close();
    readLock.lock();
    try {
      if (!closed) {
        closed = true;
        reader.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not close store " + file, e);
    } finally {
      readLock.unlock();
    }
  }

  /** Returns how many transactions the writer has committed, for tests of group commit. */
  long transactions() {
    return committer.transactions();
  }

  @Override
  public String writeFailure() {
    Throwable failure = committer.lastFailure();
    return failure == null ? null : Store.describe(failure);
  }

  @Override
  public String toString() {
    return "SqliteStore[" + file + "]";
  }

  /** Runs a query over the read connection and returns the rows it yields. */
  private List<Row> read(String sql, List<String> parameters, String what) {
    readLock.lock();
    try (PreparedStatement query = readerOrThrow().prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        query.setString(i + 1, parameters.get(i));
      }
      List<Row> rows = new ArrayList<>();
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          rows.add(new Row(result.getString(1), result.getString(2), result.getString(3)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read " + what + " from store " + file, e);
    } finally {
      readLock.unlock();
    }
  }

  /** Returns the read connection, or throws if the store is closed; call with the read lock. */
  private Connection readerOrThrow() {
    if (closed) {
      throw new IllegalStateException("store " + file + " is closed");
    }
    return reader;
  }

  /** Writes each group over JDBC, then tells the checkpointer that the WAL has grown. */
  private record CheckpointedWriter(JdbcBatchWriter jdbc, WalCheckpointer checkpointer)
      implements GroupCommitter.BatchWriter {
    @Override
    public void write(List<Mutation> mutations) throws SQLException {
      jdbc.write(mutations);
      checkpointer.committed();
    }

    @Override
    public void close() throws SQLException {
      checkpointer.close();
      jdbc.close();
    }
  }

  /** Narrows the database file and its -wal and -shm files, where they exist, to 0600. */
  private static void narrowFiles(Path path) {
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    for (String suffix : List.of("", "-wal", "-shm")) {
      Path file = path.resolveSibling(path.getFileName() + suffix);
      try {
        if (Files.isRegularFile(file)) {
          DataDirectory.narrow(file, DataDirectory.FILE_MODE);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make " + file + " private", e);
      }
    }
  }

  /** Opens a connection to the file with the store's settings. */
  private static Connection connect(Path path, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL syncs the WAL on every commit, so an acknowledged batch survives a power cut; NORMAL,
    // the usual WAL choice, would only survive a crash of the process.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setReadOnly(readOnly);
    return config.createConnection("jdbc:sqlite:" + path);
  }

  /** Opens the writer's connection, which checkpoints the WAL itself only when it has grown. */
  private static Connection connectWriter(Path path) throws SQLException {
    Connection writer = connect(path, false);
    try (Statement statement = writer.createStatement()) {
      statement.execute("PRAGMA wal_autocheckpoint = " + WalCheckpointer.WRITER_FRAMES);
    } catch (SQLException e) {
      closeQuietly(writer, e);
      throw e;
    }
    return writer;
  }

  /** Fails unless the database really is in WAL mode, which some file systems refuse. */
  private static void requireWal(Connection connection, Path path) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA journal_mode")) {
      String mode = result.next() ? result.getString(1) : "unknown";
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new SQLException("store " + path + " is in journal mode " + mode + ", not WAL");
      }
    }
  }

  /** Closes a connection if there is one, recording a failure on the exception being thrown. */
  private static void closeQuietly(Connection connection, Exception pending) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      pending.addSuppressed(e);
    }
  }
}
