package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes groups of mutations to the {@code rows} table over one JDBC connection, one transaction
 * per group, with SQL that SQLite and PostgreSQL both run.
 *
 * <p>After a failed transaction the connection is closed, which rolls back whatever the transaction
 * had written, and the next group is written over a new one. A connection is not trusted after a
 * failure: SQLite rolls a transaction back by itself on a full disk, after which the driver's own
 * rollback fails and the driver would run the next group's statements outside any transaction, each
 * committing on its own.
 */
final class JdbcBatchWriter implements GroupCommitter.BatchWriter {
  /** Opens a connection to the store's database. */
  @FunctionalInterface
  interface Connector {
    /** Returns a new connection with the store's settings. */
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private Connection connection;
  private PreparedStatement upsert;
  private PreparedStatement delete;

  /**
   * Creates a writer that takes over the connection given and opens another with the connector
   * after a failure.
   */
  JdbcBatchWriter(Connection connection, Connector connector) throws SQLException {
    this.connector = requireNonNull(connector);
    use(requireNonNull(connection));
  }

  private void use(Connection opened) throws SQLException {
    connection = opened;
    connection.setAutoCommit(false);
    upsert =
        connection.prepareStatement(
            "INSERT INTO rows (kind, key, body) VALUES (?, ?, ?)"
                + " ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body");
    delete = connection.prepareStatement("DELETE FROM rows WHERE kind = ? AND key = ?");
  }

  @Override
  public void write(List<Mutation> mutations) throws SQLException {
    if (connection == null) {
      use(connector.connect());
    }
    try {
      // Consecutive mutations of one sort go out as one JDBC batch; switching sort flushes, so a
      // put and a delete of the same row still apply in the order they were handed over.
      PreparedStatement batched = null;
      for (Mutation mutation : mutations) {
        PreparedStatement statement = mutation.isDelete() ? delete : upsert;
        if (batched != null && batched != statement) {
          batched.executeBatch();
        }
        statement.setString(1, mutation.kind());
        statement.setString(2, mutation.key());
        if (!mutation.isDelete()) {
          statement.setString(3, mutation.body());
        }
        statement.addBatch();
        batched = statement;
      }
      if (batched != null) {
        batched.executeBatch();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      Connection failed = connection;
      connection = null;
      try {
        failed.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      try {
        failed.close();
      } catch (SQLException close) {
        e.addSuppressed(close);
      }
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    // Closing the connection closes its statements too.
    if (connection != null) {
      connection.close();
    }
  }
}
