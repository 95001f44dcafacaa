package dev.berth.server.auth;

/** Looks up the secret access key that belongs to an access key id. */
public interface SecretKeys {
  /** Returns the secret access key for {@code accessKeyId}, or null if the key is unknown. */
  String secretFor(String accessKeyId);
}
