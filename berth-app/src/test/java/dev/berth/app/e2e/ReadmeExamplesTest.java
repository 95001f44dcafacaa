package dev.berth.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.DockerRuntime;
import dev.berth.agent.runtime.EcsLabels;
import dev.berth.api.Json;
import dev.berth.app.Main;
import dev.berth.app.e2e.ReadmeExamples.Command;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's shell examples as written: every {@code $ } command of its console blocks, in
 * order, in one bash, checking the output the README shows. The only change is to the line that
 * sets the data directory and the ports, which gets a temporary directory and free ports, so that
 * the test never touches {@code ~/.berth} or a port in use. {@code bin/berth} is, in the test's
 * working directory, a script that runs the same {@code berth} command from the test's class path,
 * as the real one runs it from the jar. It needs the AWS CLI, curl and dig ({@code bin/test}
 * installs them).
 */
class ReadmeExamplesTest {
  private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
  private static final String DONE = "@@@readme-command-done ";
  private static final String PID = "@@@readme-background-pid ";

  // A waiter of the AWS CLI polls every 15 s and gives up after 10 minutes: this is the longest a
  // command may take here.
  private static final Duration COMMAND_PATIENCE = Duration.ofMinutes(2);

  private Path work;
  private Process bash;
  private final List<Long> background = new ArrayList<>();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  @AfterEach
  void cleanUp() throws Exception {
    if (work == null) {
      return;
    }
    try {
      for (long pid : background) {
        ProcessHandle.of(pid).ifPresent(ReadmeExamplesTest::stop);
      }
      if (bash != null) {
        bash.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      Path identity = work.resolve("data/agent/agent-instance.json");
      if (Files.exists(identity)) {
        String instance =
            Json.MAPPER.readTree(identity.toFile()).path("containerInstanceArn").asText();
        try (DockerRuntime docker = DockerRuntime.connect()) {
          DockerCleanup.removeLabelled(docker, Map.of(EcsLabels.CONTAINER_INSTANCE, instance));
        }
      }
    } finally {
      DockerCleanup.deleteRecursively(work);
    }
  }

  @Test
  void readmeCommandsRunAsWrittenAndPrintWhatTheReadmeShows() throws Exception {
    List<Command> commands = ReadmeExamples.parse(Files.readString(README, StandardCharsets.UTF_8));
    assertThat(commands).as("the README's $ commands").hasSizeGreaterThan(10);
    assertThat(commands.getFirst().settings())
        .as("the README's first command sets the data directory and ports")
        .containsOnlyKeys(ReadmeExamples.SETTINGS);
    work = Files.createTempDirectory("berth-readme-");
    Map<String, String> values = testSettings(work);
    Map<String, String> readmeValues = readmeToTest(commands.getFirst().settings(), values);
    startBash();
    Writer stdin = new java.io.OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
    int index = 0;
    for (Command command : commands) {
      index++;
      String text = ReadmeExamples.withSettings(command, values);
      String where = "README command " + index + ":\n$ " + command.text();
      if (command.background()) {
        Path log = work.resolve("background-" + index + ".log");
        stdin.write(text.substring(0, text.length() - 1) + " > " + log + " 2>&1 &\n");
        stdin.write("echo " + PID + "$!\n");
        stdin.flush();
        long pid = Long.parseLong(nextLine(where).substring(PID.length()).trim());
        background.add(pid);
        // A background command is a berth process starting (the README's `bin/berth local &`).
        await(where)
            .atMost(LocalBerth.PROCESS_START)
            .until(
                () -> {
                  List<String> shown = Files.readAllLines(log, StandardCharsets.UTF_8);
                  assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                      .as(where + "\nended with:\n" + String.join("\n", shown))
                      .contains(true);
                  return ReadmeExamples.contains(command.output(), shown, readmeValues);
                });
        continue;
      }
      stdin.write(text + "\nprintf '\\n" + DONE + "%s\\n' $?\n");
      stdin.flush();
      List<String> output = new ArrayList<>();
      String line;
      while (!(line = nextLine(where)).startsWith(DONE)) {
        output.add(line);
      }
      int status = Integer.parseInt(line.substring(DONE.length()).trim());
      String shown = where + "\nprinted:\n" + String.join("\n", output);
      if (command.fails()) {
        assertThat(status).as(shown).isNotZero();
      } else {
        assertThat(status).as(shown).isZero();
      }
      assertThat(ReadmeExamples.matches(command.output(), output, readmeValues))
          .as(shown + "\nwhere the README shows:\n" + String.join("\n", command.output()))
          .isTrue();
    }
  }

  /** Returns a temporary data directory and free ports for the README's settings. */
  private static Map<String, String> testSettings(Path work) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("BERTH_DIR", work.resolve("data").toString());
    values.put("BERTH_PORT", Integer.toString(LocalProcess.freePort()));
    values.put("BERTH_DNS_PORT", Integer.toString(LocalProcess.freePort()));
    values.put("LB_PORT", Integer.toString(LocalProcess.freePort()));
    return values;
  }

  /**
   * Returns what the README's values look like in the output it shows, with the test's values they
   * stand for; the README's example runs as root, so {@code ~} is {@code /root}.
   */
  private static Map<String, String> readmeToTest(
      Map<String, String> readme, Map<String, String> test) {
    Map<String, String> values = new LinkedHashMap<>();
    readme.forEach((name, value) -> values.put(value.replaceFirst("^~", "/root"), test.get(name)));
    return values;
  }

  private void startBash() throws IOException {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path berth = bin.resolve("berth");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        berth,
        "#!/bin/sh\n# berth from the test's class path, as bin/berth runs it from the jar\nexec "
            + java
            + " --enable-native-access=ALL-UNNAMED -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + Main.class.getName()
            + " \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(berth, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    ProcessBuilder builder =
        new ProcessBuilder("bash", "--noprofile", "--norc").directory(work.toFile());
    builder.redirectErrorStream(true);
    // mktemp makes its directories in the test's; the CLI must not page its answers.
    builder.environment().put("TMPDIR", tmp.toString());
    builder.environment().put("AWS_PAGER", "");
    builder.environment().put("DOCKER_HOST", LocalBerth.dockerHost());
    bash = builder.start();
    Thread.ofVirtual()
        .name("readme-bash-output")
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(bash's output could not be read: " + e.getMessage() + ")");
              }
            });
  }

  private String nextLine(String where) throws InterruptedException {
    String line = lines.poll(COMMAND_PATIENCE.toSeconds(), TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError(where + "\ndid not finish within " + COMMAND_PATIENCE);
    }
    return line;
  }

  private static void stop(ProcessHandle process) {
    process.destroy();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }
}
