package dev.berth.server.auth;

/**
 * What an access key may do: everything (admin), only read (read-only: Describe*, List*, Get*),
 * only what one container instance's agent does (instance), or only exchange itself for an
 * instance's key (activation, ECS Anywhere's activation code).
 */
public enum KeyScope {
  ADMIN("admin"),
  READ_ONLY("read-only"),
  INSTANCE("instance"),
  ACTIVATION("activation");

  private final String text;

  KeyScope(String text) {
    this.text = text;
  }

  /** Returns the scope's name as the API and the {@code berth keys} command show it. */
  public String text() {
    return text;
  }

  /** Returns the scope of that name, or null if there is none. */
  public static KeyScope of(String text) {
    for (KeyScope scope : values()) {
      if (scope.text.equals(text)) {
        return scope;
      }
    }
    return null;
  }
}
