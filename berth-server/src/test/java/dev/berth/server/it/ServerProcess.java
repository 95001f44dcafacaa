package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Berth server in a child JVM, so that a test can kill it with SIGKILL mid-flight. Its main
 * starts a server over the data directory given and prints one READY line with its endpoint and
 * access key.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  final String endpoint;
  final String accessKeyId;
  final String secretAccessKey;

  private ServerProcess(
      Process process, String endpoint, String accessKeyId, String secretAccessKey) {
    this.process = process;
    this.endpoint = endpoint;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
  }

  /** Starts a child JVM running a server over the directory and waits until it is ready. */
  static ServerProcess start(Path dataDir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ServerProcess.class.getName(),
                dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process process = builder.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("READY ")) {
          String[] parts = line.split(" ");
          return new ServerProcess(process, parts[1], parts[2], parts[3]);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("server process ended before it was ready");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process with SIGKILL and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server process did not die");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Runs a server over the data directory in args[0] until killed. */
  public static void main(String[] args) throws Exception {
    ServerConfig config =
        new ServerConfig(
            Path.of(args[0]),
            "127.0.0.1",
            0,
            ServerConfig.DEFAULT_ACCOUNT,
            ServerConfig.DEFAULT_REGION,
            List.of("default"),
            ServerConfig.DEFAULT_MAX_BODY_BYTES,
            Clock.systemUTC());
    BerthServer server = BerthServer.start(config);
    System.out.println(
        "READY "
            + server.endpoint()
            + " "
            + server.accessKey().accessKeyId()
            + " "
            + server.accessKey().secretAccessKey());
    System.out.flush();
    Thread.currentThread().join();
  }
}
