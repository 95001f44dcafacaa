package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

/** A tag on a Cloud Map namespace or service, as given at creation. */
record ResourceTag(String key, String value) {
  /** Creates a tag; both parts are required. */
  ResourceTag {
    requireNonNull(key);
    requireNonNull(value);
  }
}
