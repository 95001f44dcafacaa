package dev.berth.app;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --log-level option of the long-running commands: server, local and agent. */
final class LogLevelOption {
  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "What DIR/berth.log records: ERROR, WARN, INFO, DEBUG or TRACE (default: BERTH_LOG_LEVEL,"
              + " else INFO); the console shows warnings and errors only.",
      defaultValue = "${env:BERTH_LOG_LEVEL:-INFO}")
  String logLevel;

  /** Starts the command's log in the data directory given, at the level this option names. */
  Logging startIn(Path dataDir) throws IOException {
    return Logging.startIn(dataDir, logLevel);
  }
}
