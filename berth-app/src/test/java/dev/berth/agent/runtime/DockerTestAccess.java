package dev.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;

/**
 * Opens the agent's package-private Docker test fixture to berth-app's end-to-end tests: the
 * registry-free busybox image and the engine client behind a {@link DockerRuntime}.
 */
public final class DockerTestAccess {
  private DockerTestAccess() {}

  /** Loads the test busybox image into the engine unless it is there, and returns its name. */
  public static String busybox(DockerRuntime runtime) {
    return BusyboxImage.ensure(runtime.docker());
  }

  /** Returns the docker-java client of the runtime, for what the runtime itself does not do. */
  public static DockerClient client(DockerRuntime runtime) {
    return runtime.docker();
  }
}
