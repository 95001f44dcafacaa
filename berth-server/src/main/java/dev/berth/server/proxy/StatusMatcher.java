package dev.berth.server.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP codes a health check accepts, written as ELB's {@code Matcher.HttpCode}: one code
 * ({@code 200}), several ({@code 200,202}) or a range ({@code 200-299}), each within 200..499.
 */
public final class StatusMatcher {
  private final String text;
  private final List<int[]> ranges;

  private StatusMatcher(String text, List<int[]> ranges) {
    this.text = text;
    this.ranges = ranges;
  }

  /** Parses a matcher; throws IllegalArgumentException, with a message for the user, if invalid. */
  public static StatusMatcher parse(String text) {
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String trimmed = part.trim();
      int dash = trimmed.indexOf('-');
      int low = code(dash < 0 ? trimmed : trimmed.substring(0, dash), text);
      int high = dash < 0 ? low : code(trimmed.substring(dash + 1), text);
      if (high < low) {
        throw new IllegalArgumentException("Invalid health check matcher range: " + text);
      }
      ranges.add(new int[] {low, high});
    }
    return new StatusMatcher(text, List.copyOf(ranges));
  }

  private static int code(String digits, String text) {
    try {
      int code = Integer.parseInt(digits.trim());
      if (code < 200 || code > 499) {
        throw new IllegalArgumentException(
            "Health check matcher HTTP codes must be between 200 and 499: " + text);
      }
      return code;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid health check matcher HTTP code: " + text);
    }
  }

  /** Returns true if the status code is accepted. */
  public boolean matches(int status) {
    for (int[] range : ranges) {
      if (status >= range[0] && status <= range[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
