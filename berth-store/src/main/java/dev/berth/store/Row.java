package dev.berth.store;

import static java.util.Objects.requireNonNull;

/** A stored row: its kind (e.g. {@code cluster}), its key within the kind and its JSON body. */
public record Row(String kind, String key, String body) {
  /** Creates a row; every part is required. */
  public Row {
    requireNonNull(kind);
    requireNonNull(key);
    requireNonNull(body);
  }
}
