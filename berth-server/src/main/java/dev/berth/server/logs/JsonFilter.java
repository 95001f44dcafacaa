package dev.berth.server.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A JSON filter pattern, {@code { $.level = "error" && $.latency > 100 }}: selectors ({@code
 * $.a.b}, {@code $.list[0]}) compared with {@code = != < > <= >=} to strings (quoted or bare, with
 * {@code *} wildcards) or numbers, {@code IS NULL / TRUE / FALSE}, {@code EXISTS} and {@code NOT
 * EXISTS}, joined with {@code &&} and {@code ||} and grouped with parentheses. A message that is
 * not a JSON object matches no JSON pattern.
 */
final class JsonFilter {
  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|&&|\\|\\||<=|>=|!=|=|<|>|\\(|\\)|\\$[^\\s=!<>()&|]*|[^\\s=!<>()&|\"]+)");

  private final String pattern;
  private final List<String> tokens;
  private int next;

  private JsonFilter(String pattern, List<String> tokens) {
    this.pattern = pattern;
    this.tokens = tokens;
  }

  /** Parses a JSON pattern, braces included, or throws InvalidParameterException. */
  static Predicate<String> parse(String text) {
    if (!text.endsWith("}")) {
      throw invalid(text);
    }
    String body = text.substring(1, text.length() - 1);
    List<String> tokens = new ArrayList<>();
    var matcher = TOKEN.matcher(body);
    int at = 0;
    while (at < body.length() && !body.substring(at).isBlank()) {
      if (!matcher.find(at) || matcher.start() != at) {
        throw invalid(text);
      }
      tokens.add(matcher.group(1));
      at = matcher.end();
    }
    JsonFilter parser = new JsonFilter(text, tokens);
    Predicate<JsonNode> condition = parser.or();
    if (parser.next != tokens.size()) {
      throw invalid(text);
    }
    return message -> {
      String trimmed = message.strip();
      if (!trimmed.startsWith("{")) {
        return false;
      }
      try {
        JsonNode root = Json.MAPPER.readTree(trimmed);
        return root != null && root.isObject() && condition.test(root);
      } catch (java.io.IOException e) {
        return false;
      }
    };
  }

  private Predicate<JsonNode> or() {
    Predicate<JsonNode> left = and();
    while (accept("||")) {
      left = left.or(and());
    }
    return left;
  }

  private Predicate<JsonNode> and() {
    Predicate<JsonNode> left = unary();
    while (accept("&&")) {
      left = left.and(unary());
    }
    return left;
  }

  private Predicate<JsonNode> unary() {
    if (accept("(")) {
      Predicate<JsonNode> inner = or();
      expect(")");
      return inner;
    }
    String selector = take();
    if (!selector.startsWith("$")) {
      throw invalid(pattern);
    }
    List<Object> path = path(selector);
    String word = take();
    switch (word.toUpperCase()) {
      case "IS" -> {
        String what = take().toUpperCase();
        return switch (what) {
          case "NULL" -> root -> resolve(root, path) instanceof JsonNode n && n.isNull();
          case "TRUE" ->
              root ->
                  resolve(root, path) instanceof JsonNode n && n.isBoolean() && n.booleanValue();
          case "FALSE" ->
              root ->
                  resolve(root, path) instanceof JsonNode n && n.isBoolean() && !n.booleanValue();
          default -> throw invalid(pattern);
        };
      }
      case "EXISTS" -> {
        return root -> resolve(root, path) != null;
      }
      case "NOT" -> {
        expect("EXISTS");
        return root -> resolve(root, path) == null;
      }
      default -> {
        return comparison(path, word, take());
      }
    }
  }

  private Predicate<JsonNode> comparison(List<Object> path, String operator, String value) {
    boolean quoted = value.startsWith("\"");
    String text =
        quoted ? value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1") : value;
    BigDecimal number = quoted ? null : number(text);
    if (number != null) {
      return root -> {
        JsonNode node = resolve(root, path);
        if (node == null || !node.isNumber()) {
          return false;
        }
        int order = node.decimalValue().compareTo(number);
        return switch (operator) {
          case "=" -> order == 0;
          case "!=" -> order != 0;
          case "<" -> order < 0;
          case ">" -> order > 0;
          case "<=" -> order <= 0;
          case ">=" -> order >= 0;
          default -> throw invalid(pattern);
        };
      };
    }
    if (!operator.equals("=") && !operator.equals("!=")) {
      throw invalid(pattern);
    }
    Pattern wildcard =
        Pattern.compile(
            String.join(
                ".*", java.util.Arrays.stream(text.split("\\*", -1)).map(Pattern::quote).toList()),
            Pattern.DOTALL);
    boolean equal = operator.equals("=");
    return root -> {
      JsonNode node = resolve(root, path);
      if (node == null || node.isContainerNode() || node.isNull()) {
        return false;
      }
      return wildcard.matcher(node.asText()).matches() == equal;
    };
  }

  private List<Object> path(String selector) {
    List<Object> path = new ArrayList<>();
    var parts = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]").matcher(selector);
    int at = 1;
    while (at < selector.length()) {
      if (!parts.find(at) || parts.start() != at) {
        throw invalid(pattern);
      }
      path.add(parts.group(1) != null ? parts.group(1) : Integer.valueOf(parts.group(2)));
      at = parts.end();
    }
    return path;
  }

  private static JsonNode resolve(JsonNode root, List<Object> path) {
    JsonNode node = root;
    for (Object step : path) {
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static BigDecimal number(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private boolean accept(String token) {
    if (next < tokens.size() && tokens.get(next).equalsIgnoreCase(token)) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String token) {
    if (!accept(token)) {
      throw invalid(pattern);
    }
  }

  private String take() {
    if (next >= tokens.size()) {
      throw invalid(pattern);
    }
    return tokens.get(next++);
  }

  private static RuntimeException invalid(String pattern) {
    return LogsErrors.invalidParameter("Invalid filter pattern: " + pattern);
  }
}
