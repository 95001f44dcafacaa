package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes groups of mutations to the {@code rows} table over one JDBC connection, one transaction
 * per group, with SQL that SQLite and PostgreSQL both run.
 */
final class JdbcBatchWriter implements GroupCommitter.BatchWriter {
  private final Connection connection;
  private final PreparedStatement upsert;
  private final PreparedStatement delete;

  /** Creates a writer that takes over the connection and switches it to explicit transactions. */
  JdbcBatchWriter(Connection connection) throws SQLException {
    this.connection = requireNonNull(connection);
    connection.setAutoCommit(false);
    this.upsert =
        connection.prepareStatement(
            "INSERT INTO rows (kind, key, body) VALUES (?, ?, ?)"
                + " ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body");
    this.delete = connection.prepareStatement("DELETE FROM rows WHERE kind = ? AND key = ?");
  }

  @Override
  public void write(List<Mutation> mutations) throws SQLException {
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
      try {
        upsert.clearBatch();
        delete.clearBatch();
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    // Closing the connection closes its statements too.
    connection.close();
  }
}
