package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);

  @TempDir Path dir;

  @Test
  void theLogIsWrittenToBerthLogInTheDataDirectoryAtTheLevelGiven() throws Exception {
    try (Logging log = Logging.toDataDirectory(dir, "info")) {
      LOG.info("an info line for the file");
      LOG.debug("a debug line below the level");

      assertThat(log.file()).isEqualTo(dir.resolve("berth.log").toAbsolutePath());
    }

    assertThat(Files.readString(dir.resolve("berth.log")))
        .contains("INFO  [")
        .contains("an info line for the file")
        .doesNotContain("a debug line below the level");
  }

  @Test
  void aLowerLevelRecordsMore() throws Exception {
    try (Logging log = Logging.toDataDirectory(dir, "DEBUG")) {
      LOG.debug("a debug line at the level");
    }

    assertThat(Files.readString(dir.resolve("berth.log"))).contains("a debug line at the level");
  }

  @Test
  void anUnknownLevelIsRefusedWithTheLevelsThereAre() {
    assertThatThrownBy(() -> Logging.toDataDirectory(dir, "LOUD"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ERROR, WARN, INFO, DEBUG, TRACE");
  }
}
