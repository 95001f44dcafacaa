package dev.berth.server.scheduler.query;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The argument of {@code =~} and {@code !~}: a Java regular expression that must match the whole
 * value, as ECS documents. Patterns that are a literal, or a literal followed by {@code .*} (the
 * usual {@code t2.*}), are answered by a string comparison instead of a regex matcher.
 */
final class ValuePattern {
  private static final String META = "\\.[]{}()*+?^$|";

  private final String literal;
  private final boolean prefix;
  private final Pattern pattern;

  private ValuePattern(String literal, boolean prefix, Pattern pattern) {
    this.literal = literal;
    this.prefix = prefix;
    this.pattern = pattern;
  }

  /** Compiles a pattern; throws PatternSyntaxException if it is not a Java regular expression. */
  static ValuePattern compile(String regex) {
    Pattern compiled = Pattern.compile(regex);
    if (isLiteral(regex)) {
      return new ValuePattern(regex, false, null);
    }
    if (regex.endsWith(".*") && isLiteral(regex.substring(0, regex.length() - 2))) {
      return new ValuePattern(regex.substring(0, regex.length() - 2), true, null);
    }
    return new ValuePattern(null, false, compiled);
  }

  /** Returns true if the whole value matches; a missing value matches nothing. */
  boolean matches(String value) {
    if (value == null) {
      return false;
    }
    if (pattern == null) {
      return prefix ? value.startsWith(literal) : value.equals(literal);
    }
    return pattern.matcher(value).matches();
  }

  private static boolean isLiteral(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (META.indexOf(text.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns the message of a pattern that does not compile, without its multi-line caret. */
  static String describe(PatternSyntaxException e) {
    return e.getDescription();
  }
}
