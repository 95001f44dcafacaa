package dev.berth.server.proxy;

import java.util.Locale;

/**
 * An ELB condition value: {@code *} matches any run of characters, {@code ?} exactly one, and
 * everything else itself; host patterns compare without regard to case.
 */
final class WildcardPattern {
  private final String pattern;
  private final boolean ignoreCase;

  WildcardPattern(String pattern, boolean ignoreCase) {
    this.pattern = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    this.ignoreCase = ignoreCase;
  }

  /** Returns true if the whole text matches. */
  boolean matches(String text) {
    String subject = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
    // Greedy matching with one backtrack point: linear for patterns with a single star, and never
    // worse than quadratic, unlike a regular expression built from user input.
    int p = 0;
    int s = 0;
    int star = -1;
    int resume = 0;
    while (s < subject.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == subject.charAt(s))) {
        p++;
        s++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = s;
      } else if (star >= 0) {
        p = star + 1;
        s = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
