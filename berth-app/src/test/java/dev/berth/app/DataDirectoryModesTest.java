package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DataDirectoryModesTest {
  @TempDir Path parent;

  @BeforeAll
  static void loggingIsReady() {
    // Tests run in parallel: SLF4J answers a stand-in factory while another thread initialises it.
    await().until(() -> LoggerFactory.getILoggerFactory() instanceof LoggerContext);
  }

  @Test
  void aFreshDataDirectoryIsPrivateFromTheFirstStart() throws Exception {
    Path dir = parent.resolve("fresh");

    try (Logging log = Logging.startIn(dir, "INFO");
        BerthServer server = BerthServer.start(config(dir))) {
      // The -wal and -shm files exist only while the store is open.
      assertThat(dir.resolve("berth.db-wal")).exists();
      assertThat(dir.resolve("berth.db-shm")).exists();
      assertPrivate(dir);
    }
    assertPrivate(dir);
  }

  @Test
  void aLooseExistingDataDirectoryIsNarrowedOnStartWithAWarningInTheLog() throws Exception {
    Path dir = parent.resolve("loose");
    startAndStop(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        dir.resolve("credentials"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        dir.resolve("berth.db"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(
        dir.resolve("berth.log"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectories(dir.resolve("agent"));
    Files.setPosixFilePermissions(
        dir.resolve("agent"), PosixFilePermissions.fromString("rwxrwxr-x"));

    startAndStop(dir);

    assertPrivate(dir);
    assertThat(Files.readString(dir.resolve("berth.log")))
        .contains("WARN")
        .contains(dir.resolve("credentials") + " was rw-r--r--; set to rw-------")
        .contains(dir + " was rwxr-xr-x; set to rwx------");
  }

  private static void startAndStop(Path dir) throws Exception {
    try (Logging log = Logging.startIn(dir, "INFO");
        BerthServer server = BerthServer.start(config(dir))) {
      assertThat(server.credentialsFile()).exists();
    }
  }

  private static ServerConfig config(Path dir) {
    return new ServerConfig(
        dir,
        "127.0.0.1",
        0,
        ServerConfig.DEFAULT_ACCOUNT,
        ServerConfig.DEFAULT_REGION,
        List.of("default"),
        ServerConfig.DEFAULT_MAX_BODY_BYTES,
        Clock.systemUTC());
  }

  private static void assertPrivate(Path dir) throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.toList();
    }
    assertThat(all)
        .extracting(Path::getFileName)
        .extracting(Path::toString)
        .contains("berth.db", "credentials", "berth.log");
    for (Path path : all) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
      assertThat(mode)
          .as(path.toString())
          .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
    }
  }
}
