package dev.berth.agent.runtime;

import static dev.berth.agent.runtime.DockerErrors.describe;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes images available by the ECS agent's pull behaviours. */
final class DockerImages {
  private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);

  private final DockerClient docker;
  private final Duration pullTimeout;

  DockerImages(DockerClient docker, Duration pullTimeout) {
    this.docker = docker;
    this.pullTimeout = pullTimeout;
  }

  /** See {@link ContainerRuntime#ensureImage}. */
  boolean ensure(String image, PullBehavior behavior, RegistryAuth auth) {
    switch (behavior) {
      case ONCE, PREFER_CACHED -> {
        if (isPresent(image)) {
          return false;
        }
        pull(image, auth);
        return true;
      }
      case ALWAYS -> {
        pull(image, auth);
        return true;
      }
      default -> {
        try {
          pull(image, auth);
          return true;
        } catch (RuntimeFailure failure) {
          if (isPresent(image)) {
            LOG.info("using the cached image after {}", failure.getMessage());
            return false;
          }
          throw failure;
        }
      }
    }
  }

  private boolean isPresent(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new RuntimeFailure(
          RuntimeFailure.CANNOT_PULL, "cannot look up image " + image + ": " + describe(e), e);
    }
  }

  private void pull(String image, RegistryAuth auth) {
    ImageReference reference;
    try {
      reference = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_PULL, "invalid image " + image, e);
    }
    PullImageCmd cmd = docker.pullImageCmd(reference.repository()).withTag(reference.tagOrDigest());
    if (auth != null) {
      cmd.withAuthConfig(
          new AuthConfig()
              .withUsername(auth.username())
              .withPassword(auth.password())
              .withRegistryAddress(auth.serverAddress()));
    }
    try (PullCallback callback = cmd.exec(new PullCallback())) {
      if (!callback.awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new RuntimeFailure(
            RuntimeFailure.CANNOT_PULL,
            "pulling " + image + " did not finish within " + pullTimeout);
      }
      if (callback.failure != null) {
        throw new RuntimeFailure(
            RuntimeFailure.CANNOT_PULL, describe(callback.failure), callback.failure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(RuntimeFailure.CANNOT_PULL, "interrupted pulling " + image, e);
    } catch (RuntimeFailure failure) {
      throw failure;
    } catch (IOException | RuntimeException e) {
      throw new RuntimeFailure(RuntimeFailure.CANNOT_PULL, describe(e), e);
    }
  }

  /**
   * A pull callback that keeps a failed pull's error for the caller instead of logging it as an
   * error: with {@link PullBehavior#DEFAULT} a failed pull is routine when no registry is
   * reachable.
   */
  private static final class PullCallback extends PullImageResultCallback {
    private volatile Throwable failure;

    @Override
    public void onError(Throwable error) {
      failure = error;
      try {
        close();
      } catch (IOException e) {
        LOG.debug("closing a failed pull", e);
      }
    }
  }
}
