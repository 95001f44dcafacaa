package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.Migrations.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  private static final Migration FIRST =
      new Migration(1, "first", List.of("CREATE TABLE first (id INTEGER)"));
  private static final Migration SECOND =
      new Migration(
          2,
          "second",
          List.of("CREATE TABLE second (id INTEGER)", "INSERT INTO first (id) VALUES (1)"));

  @TempDir Path directory;
  private Connection connection;

  @BeforeEach
  void connect() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("m.db"));
  }

  @AfterEach
  void disconnect() throws SQLException {
    connection.close();
  }

  @Test
  void appliesEveryMigrationToAnEmptyDatabase() throws SQLException {
    assertThat(Migrations.apply(connection, List.of(FIRST, SECOND))).isEqualTo(2);

    assertThat(versions()).containsExactly(1, 2);
    assertThat(tables()).contains("first", "second");
    assertThat(connection.getAutoCommit()).isTrue();
  }

  @Test
  void appliesOnlyTheMigrationsAddedSinceTheLastRun() throws SQLException {
    Migrations.apply(connection, List.of(FIRST));

    Migrations.apply(connection, List.of(FIRST, SECOND));
    Migrations.apply(connection, List.of(FIRST, SECOND));

    assertThat(versions()).containsExactly(1, 2);
    assertThat(count("first")).isEqualTo(1);
  }

  @Test
  void failingMigrationLeavesTheSchemaAsItWas() throws SQLException {
    Migrations.apply(connection, List.of(FIRST));
    Migration broken =
        new Migration(2, "broken", List.of("CREATE TABLE second (id INTEGER)", "NOT SQL"));

    assertThatThrownBy(() -> Migrations.apply(connection, List.of(FIRST, broken)))
        .isInstanceOf(SQLException.class);

    assertThat(versions()).containsExactly(1);
    assertThat(tables()).doesNotContain("second");
  }

  @Test
  void refusesADatabaseNewerThanTheMigrations() throws SQLException {
    Migrations.apply(connection, List.of(FIRST, SECOND));

    assertThatThrownBy(() -> Migrations.apply(connection, List.of(FIRST)))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("newer");
  }

  @Test
  void refusesMigrationsOutOfOrder() {
    assertThatThrownBy(() -> Migrations.apply(connection, List.of(SECOND, FIRST)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private List<Integer> versions() throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      while (result.next()) {
        versions.add(result.getInt(1));
      }
    }
    return versions;
  }

  private List<String> tables() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (result.next()) {
        tables.add(result.getString(1));
      }
    }
    return tables;
  }

  private int count(String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      result.next();
      return result.getInt(1);
    }
  }
}
