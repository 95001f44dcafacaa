package dev.berth.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema as an ordered list of migrations, and the code that brings a database up to
 * date; the SQL runs on SQLite and PostgreSQL alike, so both stores share it.
 *
 * <p>Applied versions are recorded in {@code schema_version}, one row per migration. A store that
 * several processes open at once (PostgreSQL) must serialise {@link #apply} itself, e.g. with an
 * advisory lock, because two processes could otherwise both see the same version as pending. It
 * must also order keys by code point, as {@link Store#load} promises, with {@code COLLATE "C"} in
 * its queries or database: SQLite knows no such collation, so the shared schema cannot say it.
 */
final class Migrations {
  /** One step of the schema: a version, what it does, and the statements that do it. */
  record Migration(int version, String description, List<String> statements) {
    /** Creates a migration; every part is required. */
    Migration {
      requireNonNull(description);
      statements = List.copyOf(statements);
    }
  }

  /** Every migration of the store's schema, oldest first; append, never edit a released one. */
  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "rows of JSON keyed by kind and key",
              List.of(
                  // The check turns an empty kind or key, always a caller's bug, into a failed
                  // write now rather than a row that confuses the next start-up.
                  """
                  CREATE TABLE rows (
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (kind, key),
                    CHECK (kind <> '' AND key <> '')
                  )""")),
          // Nothing to change in the table, but a Berth that knows only version 1 would read a
          // task as it was created and miss its later state: the version makes it refuse the file.
          new Migration(
              2,
              "tasks' later versions in task-update rows, laid over their task rows",
              List.of()));

  private Migrations() {}

  /**
   * Applies the migrations the database lacks in one transaction and returns the resulting version.
   */
  static int apply(Connection connection, List<Migration> migrations) throws SQLException {
    requireNonNull(connection);
    checkNumbering(migrations);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS schema_version"
              + " (version INTEGER PRIMARY KEY, description TEXT NOT NULL)");
      int current = currentVersion(statement);
      if (current > migrations.size()) {
        // A newer Berth wrote this schema; running older code on it could corrupt it silently.
        throw new SQLException(
            "schema version "
                + current
                + " is newer than this Berth knows ("
                + migrations.size()
                + ")");
      }
      for (Migration migration : migrations.subList(current, migrations.size())) {
        for (String sql : migration.statements()) {
          statement.execute(sql);
        }
        record(connection, migration);
      }
      connection.commit();
      return migrations.size();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Returns the highest version recorded in {@code schema_version}, or 0 if none. */
  static int currentVersion(Statement statement) throws SQLException {
    try (ResultSet result =
        statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Records that a migration has been applied. */
  private static void record(Connection connection, Migration migration) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.description());
      insert.executeUpdate();
    }
  }

  /** Rejects a list whose versions are not 1, 2, 3, ... in order. */
  private static void checkNumbering(List<Migration> migrations) {
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        throw new IllegalArgumentException(
            "migration at position " + i + " has version " + migrations.get(i).version());
      }
    }
  }
}
