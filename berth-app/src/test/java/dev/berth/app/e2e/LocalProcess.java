package dev.berth.app.e2e;

import static org.awaitility.Awaitility.await;

import dev.berth.app.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code berth local} in a child JVM, as a user runs it, so that a test can kill the whole process
 * with SIGKILL. Its output goes to a log file in the data directory, shown when it fails to start.
 */
final class LocalProcess implements AutoCloseable {
  private static final String READY = "Berth is listening on ";

  private final Process process;
  private final Path dataDir;
  private final int port;

  private LocalProcess(Process process, Path dataDir, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Runs {@code berth local --data-dir DIR --port PORT} on the test's class path and waits until it
   * says it is listening.
   */
  static LocalProcess start(Path dataDir, int port) {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "local",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("DOCKER_HOST", LocalBerth.dockerHost());
    Process process;
    try {
      Files.writeString(log, "--- berth local started by the test\n", StandardCharsets.UTF_8);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalProcess local = new LocalProcess(process, dataDir, port);
    try {
      await("berth local listening")
          .atMost(LocalBerth.PROCESS_START)
          .until(
              () -> {
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (!process.isAlive()) {
                  throw new AssertionError("berth local ended:\n" + output);
                }
                return output.contains(READY + "http://127.0.0.1:" + port);
              });
    } catch (RuntimeException | AssertionError e) {
      local.kill();
      throw e;
    }
    return local;
  }

  /** Returns a free loopback port, for a process that must come back on the same one. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns an SDK client for the process, with the credentials it wrote for its users: the profile
   * {@code berth} of {@code DIR/credentials}.
   */
  EcsClient ecs() {
    ProfileFile credentials =
        ProfileFile.builder()
            .content(dataDir.resolve("credentials"))
            .type(ProfileFile.Type.CREDENTIALS)
            .build();
    return EcsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.of(LocalBerth.REGION))
        .credentialsProvider(
            ProfileCredentialsProvider.builder()
                .profileFile(credentials)
                .profileName("berth")
                .build())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Kills the process with SIGKILL, as the kernel's OOM killer or kill -9 would. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("berth local did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
