package dev.berth.bench;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.agent.runtime.BusyboxImageArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A tiny image for benchmarks, built without any registry: the host's static busybox with {@code
 * sh} and {@code sleep}, loaded into the engine under a name unless it is there already. Closing it
 * removes the image only if this instance loaded it.
 */
final class BusyboxImage implements AutoCloseable {
  private static final List<String> APPLETS = List.of("sh", "sleep", "true");

  private final DockerClient docker;
  private final String name;
  private final boolean loaded;

  private BusyboxImage(DockerClient docker, String name, boolean loaded) {
    this.docker = docker;
    this.name = name;
    this.loaded = loaded;
  }

  /**
   * Connects to the engine at the host with the API version already negotiated with it, and loads
   * the image under the name unless the engine has one of that name.
   */
  static BusyboxImage ensure(String dockerHost, String apiVersion, String name) {
    requireNonNull(name, "name");
    DockerClient docker = client(dockerHost, apiVersion);
    try {
      try {
        docker.inspectImageCmd(name).exec();
        return new BusyboxImage(docker, name, false);
      } catch (NotFoundException absent) {
        // Build it below.
      }
      // docker-java's import (createImageCmd with a stream) sends "{}" instead of the tar, so the
      // image goes in as a one-layer image archive, as `docker save` writes them.
      docker
          .loadImageCmd(
              new ByteArrayInputStream(BusyboxImageArchive.build(name, APPLETS, "berth bench")))
          .exec();
      docker.inspectImageCmd(name).exec();
      return new BusyboxImage(docker, name, true);
    } catch (RuntimeException e) {
      closeQuietly(docker, e);
      throw e;
    }
  }

  /** Returns the image's name, e.g. {@code berth-bench/busybox:latest}. */
  String name() {
    return name;
  }

  /** Returns true if this instance loaded the image, so closing it removes the image. */
  boolean loaded() {
    return loaded;
  }

  /** Removes the image if this instance loaded it, and closes the connection. */
  @Override
  public void close() {
    try {
      if (loaded) {
        docker.removeImageCmd(name).exec();
      }
    } catch (NotFoundException gone) {
      // Someone removed it already.
    } finally {
      closeQuietly(docker, null);
    }
  }

  private static DockerClient client(String host, String apiVersion) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion(RemoteApiVersion.parseConfig(apiVersion))
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  private static void closeQuietly(DockerClient docker, Exception primary) {
    try {
      docker.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }
}
