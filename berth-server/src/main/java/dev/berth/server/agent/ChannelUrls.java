package dev.berth.server.agent;

import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent channel's presigned URLs already used: each opens one channel, and is short-lived, so a
 * URL captured on the way (from a log or a proxy) cannot open a second channel and take the
 * instance's task set. A URL's signature is kept until the URL could no longer be accepted anyway.
 */
final class ChannelUrls {
  /** The longest life a channel URL may ask for; the agent asks for a minute. */
  static final Duration MAX_LIFE = Duration.ofMinutes(5);

  /**
   * How long past its life a URL is remembered: the clock skew a signature's date may have either
   * side of the server's clock.
   */
  private static final Duration SKEW = Duration.ofMinutes(15);

  private final Clock clock;
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  ChannelUrls(Clock clock) {
    this.clock = requireNonNull(clock);
  }

  /**
   * Claims the URL with the query given (whose signature is already verified), or throws an
   * InvalidSignatureException if it was used before or asks to live longer than {@link #MAX_LIFE}.
   */
  void claim(Map<String, List<String>> query) {
    String signature = first(query, "X-Amz-Signature");
    String expires = first(query, "X-Amz-Expires");
    if (signature == null || expires == null) {
      throw refused("The agent channel needs a presigned URL (X-Amz-Signature and X-Amz-Expires).");
    }
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw refused("X-Amz-Expires should be a number");
    }
    if (seconds > MAX_LIFE.toSeconds()) {
      throw refused(
          "An agent channel URL may live at most "
              + MAX_LIFE.toSeconds()
              + " seconds; this one asks for "
              + seconds
              + ".");
    }
    Instant now = clock.instant();
    used.values().removeIf(forgetAt -> forgetAt.isBefore(now));
    Instant forgetAt = now.plus(MAX_LIFE).plus(SKEW).plus(SKEW);
    if (used.putIfAbsent(signature, forgetAt) != null) {
      throw refused("This agent channel URL was used already: each URL opens one channel.");
    }
  }

  private static AwsException refused(String message) {
    return new AwsException("InvalidSignatureException", 403, message);
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
