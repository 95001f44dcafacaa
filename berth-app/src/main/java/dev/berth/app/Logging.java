package dev.berth.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.berth.store.DataDirectory;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The log of a long-running berth command: a file in its data directory, rolled over by size, at
 * the level --log-level names; the console keeps only warnings and errors (logback.xml).
 */
final class Logging implements AutoCloseable {
  /** The log file's name in the data directory. */
  static final String FILE_NAME = "berth.log";

  /** The size at which the log rolls over to berth.1.log. */
  static final String MAX_FILE_SIZE = "10MB";

  /** How many rolled-over files are kept: berth.1.log to berth.5.log. */
  static final int KEPT_FILES = 5;

  private final Logger root;
  private final RollingFileAppender<ILoggingEvent> appender;
  private final Level previousLevel;

  private Logging(Logger root, RollingFileAppender<ILoggingEvent> appender, Level previousLevel) {
    this.root = root;
    this.appender = appender;
    this.previousLevel = previousLevel;
  }

  /**
   * Starts logging everything at the level given (e.g. INFO, DEBUG) to DIR/berth.log and returns
   * the file's log, which closing detaches again.
   */
  static Logging toDataDirectory(Path dataDir, String level) {
    Level parsed = parseLevel(level);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
    encoder.start();

    RollingFileAppender<ILoggingEvent> appender = new PrivateRollingFileAppender();
    appender.setContext(context);
    appender.setName("FILE");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file.resolveSibling("berth.%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(KEPT_FILES);
    rolling.start();

    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
    trigger.start();

    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level previous = root.getLevel();
    root.addAppender(appender);
    root.setLevel(parsed);
    return new Logging(root, appender, previous);
  }

  /**
   * Creates the data directory if need be, starts its log as {@link #toDataDirectory} does and says
   * on stdout where the log is.
   */
  static Logging startIn(Path dataDir, String level) throws java.io.IOException {
    // A new directory is made 0700 here; an existing one is narrowed once the log is open, so
    // that each warning about a loose file lands in berth.log.
    if (java.nio.file.Files.notExists(dataDir)) {
      DataDirectory.secure(dataDir);
    }
    Logging log = toDataDirectory(dataDir, level);
    DataDirectory.secure(dataDir);
    System.out.println(
        "Log: " + log.file() + " (--log-level " + level.toUpperCase(Locale.ROOT) + ")");
    return log;
  }

  /** Returns the file the log is written to. */
  Path file() {
    return Path.of(appender.getFile());
  }

  /** Detaches the file from the log and closes it; the level goes back to what it was. */
  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    root.setLevel(previousLevel);
  }

  /** A rolling file appender that creates each log file 0600, the first and each after a roll. */
  private static final class PrivateRollingFileAppender extends RollingFileAppender<ILoggingEvent> {
    @Override
    public void openFile(String fileName) throws java.io.IOException {
      DataDirectory.createPrivateFile(Path.of(fileName));
      super.openFile(fileName);
    }
  }

  private static Level parseLevel(String level) {
    Level parsed = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "--log-level must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF; not " + level);
    }
    return parsed;
  }
}
