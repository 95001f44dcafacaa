package dev.berth.agent.runtime;

import java.util.Locale;

/** When to pull an image, with the meanings of the ECS agent's {@code ECS_IMAGE_PULL_BEHAVIOR}. */
public enum PullBehavior {
  /** Pull; if the pull fails, use the cached image when there is one. */
  DEFAULT,
  /** Pull; if the pull fails, fail. */
  ALWAYS,
  /** Pull only if the image is not present. */
  ONCE,
  /** Use the cached image if present, else pull. */
  PREFER_CACHED;

  /** Returns the behaviour for an ECS setting value ({@code default}, {@code prefer-cached}...). */
  public static PullBehavior parse(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
