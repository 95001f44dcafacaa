package dev.berth.agent.runtime;

import static java.util.Objects.requireNonNull;

/** Credentials for a private registry, as resolved from a container's repositoryCredentials. */
public record RegistryAuth(String username, String password, String serverAddress) {
  /** Creates credentials; the server address may be null to mean the image's own registry. */
  public RegistryAuth {
    requireNonNull(username, "username");
    requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryAuth[username=" + username + ", serverAddress=" + serverAddress + "]";
  }
}
