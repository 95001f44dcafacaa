package dev.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * A tiny image built without any registry: Debian's static busybox with the applets the tests use,
 * loaded into the engine as {@code berth-test/busybox:latest} unless it is there already.
 */
final class BusyboxImage {
  static final String REPOSITORY = "berth-test/busybox";
  static final String TAG = "latest";
  static final String NAME = REPOSITORY + ":" + TAG;

  private static final List<String> APPLETS =
      List.of(
          "sh",
          "ash",
          "httpd",
          "sleep",
          "echo",
          "cat",
          "wget",
          "true",
          "false",
          "kill",
          "env",
          "id",
          "ls",
          "mkdir",
          "touch",
          "rm",
          "test",
          "grep",
          "hostname",
          "printf",
          "ps",
          "wc",
          "head",
          "tail",
          "stat",
          "nc",
          "timeout",
          "mount",
          "df",
          "whoami",
          "uname",
          "date");

  private static final Object LOCK = new Object();

  private BusyboxImage() {}

  /** Imports the image unless the engine has it; safe to call from many test classes at once. */
  static String ensure(DockerClient docker) {
    return ensure(docker, REPOSITORY, TAG);
  }

  /** Imports the image under the name unless the engine has it, and returns the name. */
  static String ensure(DockerClient docker, String repository, String tag) {
    String name = repository + ":" + tag;
    synchronized (LOCK) {
      try {
        docker.inspectImageCmd(name).exec();
        return name;
      } catch (NotFoundException absent) {
        // Build it below.
      }
      // docker-java 3.4.1's import (createImageCmd with a stream) sends the stream as JSON "{}"
      // instead of the tar, so the image is loaded as a one-layer image archive instead.
      docker
          .loadImageCmd(
              new ByteArrayInputStream(
                  BusyboxImageArchive.build(name, APPLETS, "berth test fixture")))
          .exec();
      return name;
    }
  }
}
