package dev.berth.agent.runtime;

/**
 * What tests of the agent outside this package need of the real engine: a runtime with the image.
 */
public final class DockerTestEngine {
  /** The registry-free busybox image the tests run. */
  public static final String BUSYBOX = BusyboxImage.NAME;

  private DockerTestEngine() {}

  /** Connects to the local engine and makes sure the busybox image is there. */
  public static DockerRuntime connect() {
    return DockerFixture.connect();
  }
}
