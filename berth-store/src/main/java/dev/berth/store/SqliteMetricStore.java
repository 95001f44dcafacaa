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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.sqlite.SQLiteConfig;

/**
 * The metric store in a SQLite file of its own beside the state store, so that metric writes never
 * queue behind, or delay, the commits of ECS's state: series with their dimensions, and their
 * points at 1-minute, 5-minute and 1-hour resolution. Series are also held in memory, by key, for
 * ListMetrics and for writes; points are read from the file.
 */
public final class SqliteMetricStore implements MetricStore {
  /** The schema of the metrics file; append, never edit a released step. */
  static final List<Migrations.Migration> MIGRATIONS =
      List.of(
          new Migrations.Migration(
              1,
              "metric series, their dimensions, and their points at three resolutions",
              List.of(
                  """
                  CREATE TABLE metric_series (
                    id INTEGER PRIMARY KEY,
                    series_key TEXT NOT NULL UNIQUE,
                    namespace TEXT NOT NULL,
                    metric_name TEXT NOT NULL,
                    unit TEXT,
                    last_put INTEGER NOT NULL
                  )""",
                  """
                  CREATE TABLE metric_dimensions (
                    series_id INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (series_id, name)
                  )""",
                  """
                  CREATE TABLE metric_points (
                    series_id INTEGER NOT NULL,
                    resolution INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    sample_count DOUBLE PRECISION NOT NULL,
                    total DOUBLE PRECISION NOT NULL,
                    minimum DOUBLE PRECISION NOT NULL,
                    maximum DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (series_id, resolution, ts)
                  )""",
                  "CREATE INDEX metric_points_by_age ON metric_points (resolution, ts)")));

  // CASE rather than SQLite's two-argument MIN/MAX, which PostgreSQL calls LEAST/GREATEST.
  private static final String MERGE_POINT =
      """
      INSERT INTO metric_points
        (series_id, resolution, ts, sample_count, total, minimum, maximum)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (series_id, resolution, ts) DO UPDATE SET
        sample_count = metric_points.sample_count + excluded.sample_count,
        total = metric_points.total + excluded.total,
        minimum = CASE WHEN excluded.minimum < metric_points.minimum
                  THEN excluded.minimum ELSE metric_points.minimum END,
        maximum = CASE WHEN excluded.maximum > metric_points.maximum
                  THEN excluded.maximum ELSE metric_points.maximum END""";

  private record Known(long id, MetricSeries series, long lastPut) {}

  private final Connection connection;
  private final ConcurrentSkipListMap<String, Known> byKey = new ConcurrentSkipListMap<>();

  private SqliteMetricStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens the metric store in a file, creating it, private to its owner, with its schema. */
  public static SqliteMetricStore open(Path file) {
    Path path = requireNonNull(file).toAbsolutePath();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the directory of " + path, e);
    }
    DataDirectory.createPrivateFile(path);
    Connection connection = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(5_000);
      connection = config.createConnection("jdbc:sqlite:" + path);
      Migrations.apply(connection, MIGRATIONS);
      SqliteMetricStore store = new SqliteMetricStore(connection);
      store.loadSeries();
      return store;
    } catch (SQLException e) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("could not open metric store " + path, e);
    }
  }

  @Override
  public synchronized void put(List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement merge = connection.prepareStatement(MERGE_POINT)) {
        for (MetricPoint point : points) {
          long id = seriesId(point.series(), point.timestamp());
          for (Resolution resolution : Resolution.values()) {
            merge.setLong(1, id);
            merge.setInt(2, resolution.seconds());
            merge.setLong(3, resolution.floor(point.timestamp()));
            merge.setDouble(4, point.sampleCount());
            merge.setDouble(5, point.sum());
            merge.setDouble(6, point.minimum());
            merge.setDouble(7, point.maximum());
            merge.addBatch();
          }
        }
        merge.executeBatch();
      }
      connection.commit();
    } catch (SQLException e) {
      rollback(e);
      // Series created in the failed transaction do not exist: forget them.
      byKey.clear();
      loadSeriesQuietly(e);
      throw new IllegalStateException("could not write metric data", e);
    } finally {
      autoCommit();
    }
  }

  @Override
  public synchronized List<MetricPoint> points(
      MetricSeries series, Resolution resolution, long from, long to) {
    Known known = byKey.get(series.key());
    if (known == null) {
      return List.of();
    }
    List<MetricPoint> points = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT ts, sample_count, total, minimum, maximum FROM metric_points"
                + " WHERE series_id = ? AND resolution = ? AND ts >= ? AND ts < ? ORDER BY ts")) {
      query.setLong(1, known.id());
      query.setInt(2, resolution.seconds());
      query.setLong(3, from);
      query.setLong(4, to);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          points.add(
              new MetricPoint(
                  known.series(),
                  rows.getLong(1),
                  rows.getDouble(2),
                  rows.getDouble(3),
                  rows.getDouble(4),
                  rows.getDouble(5)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read metric data", e);
    }
    return points;
  }

  @Override
  public List<MetricSeries> series(
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      long activeSince,
      String afterKey,
      int limit) {
    List<MetricSeries> found = new ArrayList<>();
    var candidates = afterKey == null ? byKey : byKey.tailMap(afterKey, false);
    for (Known known : candidates.values()) {
      MetricSeries series = known.series();
      if ((namespace == null || namespace.equals(series.namespace()))
          && (metricName == null || metricName.equals(series.metricName()))
          && known.lastPut() >= activeSince
          && carries(series, dimensions)) {
        found.add(series);
        if (found.size() == limit) {
          break;
        }
      }
    }
    return found;
  }

  @Override
  public synchronized void prune(long nowMillis) {
    try (PreparedStatement points =
            connection.prepareStatement(
                "DELETE FROM metric_points WHERE resolution = ? AND ts < ?");
        Statement statement = connection.createStatement()) {
      for (Resolution resolution : Resolution.values()) {
        points.setInt(1, resolution.seconds());
        points.setLong(2, nowMillis - resolution.retention().toMillis());
        points.executeUpdate();
      }
      statement.executeUpdate(
          "DELETE FROM metric_dimensions WHERE series_id NOT IN"
              + " (SELECT DISTINCT series_id FROM metric_points)");
      int removed =
          statement.executeUpdate(
              "DELETE FROM metric_series WHERE id NOT IN"
                  + " (SELECT DISTINCT series_id FROM metric_points)");
      if (removed > 0) {
        byKey.clear();
        loadSeries();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not prune metric data", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("could not close the metric store", e);
    }
  }

  /** Returns the number of series the store holds. */
  public int seriesCount() {
    return byKey.size();
  }

  private static boolean carries(MetricSeries series, Map<String, String> dimensions) {
    for (Map.Entry<String, String> wanted : dimensions.entrySet()) {
      String value = series.dimensions().get(wanted.getKey());
      if (value == null || (wanted.getValue() != null && !wanted.getValue().equals(value))) {
        return false;
      }
    }
    return true;
  }

  /** Returns the id of the series, creating it, and notes that data was put at the time. */
  private long seriesId(MetricSeries series, long timestamp) throws SQLException {
    String key = series.key();
    Known known = byKey.get(key);
    if (known != null && known.lastPut() >= timestamp) {
      return known.id();
    }
    if (known != null) {
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE metric_series SET last_put = ? WHERE id = ?")) {
        update.setLong(1, timestamp);
        update.setLong(2, known.id());
        update.executeUpdate();
      }
      byKey.put(key, new Known(known.id(), known.series(), timestamp));
      return known.id();
    }
    long id;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO metric_series (series_key, namespace, metric_name, unit, last_put)"
                + " VALUES (?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, key);
      insert.setString(2, series.namespace());
      insert.setString(3, series.metricName());
      insert.setString(4, series.unit());
      insert.setLong(5, timestamp);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    try (PreparedStatement dimension =
        connection.prepareStatement(
            "INSERT INTO metric_dimensions (series_id, name, value) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, String> entry : series.dimensions().entrySet()) {
        dimension.setLong(1, id);
        dimension.setString(2, entry.getKey());
        dimension.setString(3, entry.getValue());
        dimension.addBatch();
      }
      dimension.executeBatch();
    }
    byKey.put(key, new Known(id, series, timestamp));
    return id;
  }

  private void loadSeries() throws SQLException {
    Map<Long, TreeMap<String, String>> dimensions = new HashMap<>();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery("SELECT series_id, name, value FROM metric_dimensions")) {
        while (rows.next()) {
          dimensions
              .computeIfAbsent(rows.getLong(1), id -> new TreeMap<>())
              .put(rows.getString(2), rows.getString(3));
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT id, namespace, metric_name, unit, last_put FROM metric_series")) {
        while (rows.next()) {
          long id = rows.getLong(1);
          MetricSeries series =
              new MetricSeries(
                  rows.getString(2),
                  rows.getString(3),
                  dimensions.getOrDefault(id, new TreeMap<>()),
                  rows.getString(4));
          byKey.put(series.key(), new Known(id, series, rows.getLong(5)));
        }
      }
    }
  }

  private void loadSeriesQuietly(Exception pending) {
    try {
      loadSeries();
    } catch (SQLException e) {
      pending.addSuppressed(e);
    }
  }

  private void rollback(Exception pending) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      pending.addSuppressed(e);
    }
  }

  private void autoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset the metric store's connection", e);
    }
  }
}
