package dev.berth.app.e2e;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Leaves nothing behind: removes what the tests made on the engine and on disk. */
final class DockerCleanup {
  private DockerCleanup() {}

  /** Removes every container, running or not, and every volume that carries the labels. */
  static void removeLabelled(ContainerRuntime docker, Map<String, String> labels) {
    for (ContainerSummary container : docker.list(labels)) {
      docker.remove(container.id());
    }
    for (String volume : docker.listVolumes(labels)) {
      docker.removeVolume(volume);
    }
  }

  /** Deletes a directory tree, ignoring what is already gone. */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
