package dev.berth.app.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.app.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code berth} command in a child JVM, as a user runs it from a shell: its arguments, its own
 * environment, and its output (stdout and stderr) in a file that a failure shows.
 */
final class BerthProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path output;

  private BerthProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code berth ARGS} on the test's class path with the environment changes given (a null
   * value removes a variable); the prefix, if not empty, runs the JVM through another command, e.g.
   * {@code ip netns exec NS}.
   */
  static BerthProcess start(
      List<String> prefix, List<String> args, Map<String, String> environment, Path output) {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The product's logging set-up, not the tests' logback-test.xml, which is on the class path
    // too.
    command.add("-Dlogback.configurationFile=" + Main.class.getResource("/logback.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    environment.forEach(
        (key, value) -> {
          if (value == null) {
            builder.environment().remove(key);
          } else {
            builder.environment().put(key, value);
          }
        });
    try {
      Files.writeString(output, "--- " + String.join(" ", args) + "\n", StandardCharsets.UTF_8);
      return new BerthProcess(String.join(" ", args), builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the output holds the text that says the process started; fails at once, with the
   * output, if the process ends.
   */
  BerthProcess awaitStarted(String text) {
    try {
      await(name + " printing " + text)
          .atMost(LocalBerth.PROCESS_START)
          .until(
              () -> {
                String so = output();
                if (!process.isAlive() && !so.contains(text)) {
                  throw new AssertionError("berth " + name + " ended:\n" + so);
                }
                return so.contains(text);
              });
    } catch (RuntimeException | AssertionError e) {
      close();
      throw e;
    }
    return this;
  }

  /** Waits until the process ends and returns its exit status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(LocalBerth.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("berth " + name + " did not end:\n" + output());
    }
    return process.exitValue();
  }

  /** Returns what the process printed so far. */
  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks the process to stop (SIGTERM, as Ctrl-C or systemd would) and waits until it has. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
