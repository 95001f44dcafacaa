package dev.berth.server.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A CloudWatch Logs filter pattern over unstructured messages: plain terms that must all appear,
 * {@code "quoted phrases"} that must appear as written, {@code ?term} alternatives of which one
 * must appear, and {@code -term} exclusions; matching is case-sensitive, on substrings. An empty
 * pattern matches every event. JSON patterns ({@code { $.level = "error" }}) are {@link
 * JsonFilter}'s. Space-delimited patterns ({@code [ip, user, ...]}) are refused with
 * InvalidParameterException.
 */
final class FilterPattern implements Predicate<String> {
  private final List<String> required;
  private final List<String> alternatives;
  private final List<String> excluded;
  private final Predicate<String> json;

  private FilterPattern(
      List<String> required,
      List<String> alternatives,
      List<String> excluded,
      Predicate<String> json) {
    this.required = required;
    this.alternatives = alternatives;
    this.excluded = excluded;
    this.json = json;
  }

  /** Parses a pattern, or throws InvalidParameterException naming what Berth does not support. */
  static FilterPattern parse(String pattern) {
    String text = pattern == null ? "" : pattern.strip();
    if (text.startsWith("{")) {
      return new FilterPattern(List.of(), List.of(), List.of(), JsonFilter.parse(text));
    }
    if (text.startsWith("[")) {
      throw LogsErrors.invalidParameter(
          "Berth does not support space-delimited filter patterns: " + pattern);
    }
    if (text.startsWith("%")) {
      throw LogsErrors.invalidParameter(
          "Berth does not support regular expression filter patterns: " + pattern);
    }
    List<String> required = new ArrayList<>();
    List<String> alternatives = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      List<String> into = required;
      if (c == '?' || c == '-') {
        into = c == '?' ? alternatives : excluded;
        i++;
        if (i >= text.length() || Character.isWhitespace(text.charAt(i))) {
          throw LogsErrors.invalidParameter("Invalid filter pattern: " + pattern);
        }
      }
      StringBuilder term = new StringBuilder();
      if (text.charAt(i) == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          term.append(text.charAt(i++));
        }
        if (i >= text.length()) {
          throw LogsErrors.invalidParameter(
              "Unterminated quoted term in filter pattern: " + pattern);
        }
        i++;
      } else {
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
          term.append(text.charAt(i++));
        }
      }
      if (!term.isEmpty()) {
        into.add(term.toString());
      }
    }
    return new FilterPattern(
        List.copyOf(required), List.copyOf(alternatives), List.copyOf(excluded), null);
  }

  /** Returns true if the message matches the pattern. */
  @Override
  public boolean test(String message) {
    if (json != null) {
      return json.test(message);
    }
    for (String term : required) {
      if (!message.contains(term)) {
        return false;
      }
    }
    for (String term : excluded) {
      if (message.contains(term)) {
        return false;
      }
    }
    if (alternatives.isEmpty()) {
      return true;
    }
    for (String term : alternatives) {
      if (message.contains(term)) {
        return true;
      }
    }
    return false;
  }
}
