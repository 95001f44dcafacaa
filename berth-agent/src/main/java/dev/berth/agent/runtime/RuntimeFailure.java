package dev.berth.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A container runtime operation that could not be done, named as the ECS agent names the reason it
 * reports for a container, e.g. {@code CannotPullContainerError: ...}.
 */
public final class RuntimeFailure extends RuntimeException {
  /** No image could be had: the pull failed and no usable image is cached. */
  public static final String CANNOT_PULL = "CannotPullContainerError";

  /** The container could not be created, or its definition cannot be honoured on this host. */
  public static final String CANNOT_CREATE = "CannotCreateContainerError";

  /** The container was created but could not be started. */
  public static final String CANNOT_START = "CannotStartContainerError";

  /** The container could not be stopped. */
  public static final String CANNOT_STOP = "CannotStopContainerError";

  /** The container could not be inspected or listed. */
  public static final String CANNOT_INSPECT = "CannotInspectContainerError";

  /** The container could not be removed. */
  public static final String CANNOT_REMOVE = "CannotRemoveContainerError";

  /** A Docker volume could not be created, found or removed. */
  public static final String VOLUME = "CannotCreateVolumeError";

  /** The Docker daemon could not be reached or spoke a version we cannot use. */
  public static final String DOCKER_UNAVAILABLE = "DockerUnavailableError";

  private final String errorName;

  /** Creates a failure with the ECS error name and a human-readable detail. */
  public RuntimeFailure(String errorName, String detail) {
    this(errorName, detail, null);
  }

  /** Creates a failure with the ECS error name, a human-readable detail and its cause. */
  public RuntimeFailure(String errorName, String detail, Throwable cause) {
    super(requireNonNull(errorName) + ": " + requireNonNull(detail), cause);
    this.errorName = errorName;
  }

  /** Returns the ECS error name, e.g. {@code CannotPullContainerError}. */
  public String errorName() {
    return errorName;
  }
}
