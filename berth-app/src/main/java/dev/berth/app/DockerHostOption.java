package dev.berth.app;

import picocli.CommandLine.Option;

/** The --docker-host option of every command that talks to a Docker engine. */
public final class DockerHostOption {
  @Option(
      names = "--docker-host",
      paramLabel = "URL",
      description = "The Docker engine (default: DOCKER_HOST, else ${DEFAULT-VALUE}).",
      defaultValue = "${env:DOCKER_HOST:-unix:///var/run/docker.sock}")
  String dockerHost;

  /** Creates the option; picocli fills it in from the command line. */
  public DockerHostOption() {}

  /** Returns the Docker engine's URL, e.g. unix:///var/run/docker.sock. */
  public String dockerHost() {
    return dockerHost;
  }
}
