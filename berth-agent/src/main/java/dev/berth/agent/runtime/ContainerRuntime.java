package dev.berth.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container engine as the agent's task state machine sees it: images, containers, volumes and
 * events. {@link DockerRuntime} is the real one; tests of the agent's logic use a small fake.
 *
 * <p>A label filter maps a label key to the value it must have, or to null (or "") to require only
 * that the label is present. Failures are {@link RuntimeFailure}s named as ECS names them.
 */
public interface ContainerRuntime extends AutoCloseable {
  /** Returns the engine's version, the API version in use and the host's CPUs and memory. */
  RuntimeInfo info();

  /**
   * Makes the image available according to the pull behaviour and returns whether a pull happened;
   * throws a {@code CannotPullContainerError} failure when no image can be had.
   *
   * @param auth registry credentials, or null for an anonymous pull
   */
  boolean ensureImage(String image, PullBehavior behavior, RegistryAuth auth);

  /** Creates a container (not started) and returns its id. */
  String create(ContainerSpec spec);

  /** Starts a created container; starting a running one does nothing. */
  void start(String id);

  /**
   * Stops a container: its stop signal (SIGTERM), then SIGKILL once the timeout has passed.
   * Stopping a stopped or missing container does nothing.
   */
  void stop(String id, Duration timeout);

  /** Returns the container's status, or null when there is no such container. */
  ContainerStatus inspect(String id);

  /**
   * Returns one reading of a running container's CPU and memory counters, or null when the
   * container is missing or not running (one that stops while it is read included); every stream
   * opened for it is closed before this returns.
   */
  ContainerStats stats(String id);

  /** Removes a container, running or not, with its anonymous volumes; a missing one is fine. */
  void remove(String id);

  /** Returns the containers, stopped ones included, that carry the labels. */
  List<ContainerSummary> list(Map<String, String> labelFilter);

  /**
   * Streams container events (start, die, health_status, oom, destroy) of containers that carry the
   * labels to the listener, on a thread of the runtime, until the returned handle is closed.
   */
  AutoCloseable events(Map<String, String> labelFilter, Consumer<RuntimeEvent> listener);

  /**
   * Creates a named volume, or returns quietly if one of that name already exists with the same
   * driver.
   *
   * @param driver the volume driver, or null for {@code local}
   */
  void createVolume(
      String name, String driver, Map<String, String> driverOpts, Map<String, String> labels);

  /** Returns true if a volume of that name exists. */
  boolean volumeExists(String name);

  /** Returns the names of the volumes that carry the labels. */
  List<String> listVolumes(Map<String, String> labelFilter);

  /** Removes a named volume; a missing one is fine, one still in use is a failure. */
  void removeVolume(String name);

  /** Closes every event stream and the connection to the engine. */
  @Override
  void close();
}
