package dev.berth.server.scheduler.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses ECS's cluster query language into a {@link Condition}, by recursive descent over the
 * characters: {@code not} binds tighter than {@code and}, {@code and} tighter than {@code or}, and
 * parentheses group. Values may be quoted with ' or "; a bare value ends at white space, at a
 * {@code )} it did not open, or at {@code &&} / {@code ||}.
 */
final class QueryParser {
  private static final String OPERATORS =
      "==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ or their words (equals, ...)";

  private final String text;
  private int position;

  private QueryParser(String text) {
    this.text = text;
  }

  /** Returns the condition of a whole expression; throws InvalidParameterException if invalid. */
  static Condition parse(String text) {
    QueryParser parser = new QueryParser(text);
    Condition condition = parser.or();
    parser.skipSpace();
    if (parser.position < text.length()) {
      throw parser.expected(
          text.charAt(parser.position) == ')'
              ? "'and', 'or' or the end of the expression, as no '(' is open"
              : "'and', 'or' or the end of the expression");
    }
    return condition;
  }

  private Condition or() {
    List<Condition> parts = new ArrayList<>();
    parts.add(and());
    while (acceptJoin("or", "||")) {
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Condition.Or(parts.toArray(Condition[]::new));
  }

  private Condition and() {
    List<Condition> parts = new ArrayList<>();
    parts.add(unary());
    while (acceptJoin("and", "&&")) {
      parts.add(unary());
    }
    return parts.size() == 1 ? parts.get(0) : new Condition.And(parts.toArray(Condition[]::new));
  }

  private Condition unary() {
    skipSpace();
    if (position < text.length() && text.charAt(position) == '!') {
      position++;
      return new Condition.Not(unary());
    }
    if (acceptWord("not")) {
      return new Condition.Not(unary());
    }
    if (position < text.length() && text.charAt(position) == '(') {
      position++;
      Condition inner = or();
      skipSpace();
      if (position >= text.length() || text.charAt(position) != ')') {
        throw expected("')' or 'and' / 'or'");
      }
      position++;
      return inner;
    }
    return comparison();
  }

  private Condition comparison() {
    int subjectAt = position;
    String word = subjectWord();
    if (word.isEmpty()) {
      throw expected("a subject (" + Subject.NAMES + ")");
    }
    Subject subject = Subject.named(word);
    if (subject == null) {
      throw QueryErrors.at(
          subjectAt, "unknown subject '" + word + "'; expected " + Subject.NAMES + ".");
    }
    String attribute = null;
    if (subject == Subject.ATTRIBUTE) {
      attribute = word.substring(Subject.ATTRIBUTE.name.length());
      if (attribute.isEmpty()) {
        throw QueryErrors.at(
            subjectAt + word.length(), "expected an attribute name after 'attribute:'.");
      }
    }
    skipSpace();
    int operatorAt = position;
    Operator operator = operator();
    if (!subject.takes(operator)) {
      throw QueryErrors.at(
          operatorAt,
          (subject == Subject.ATTRIBUTE ? word : subject.name)
              + " does not take "
              + operator.display()
              + "; it takes "
              + subject.operatorList()
              + ".");
    }
    List<Argument> arguments =
        switch (operator.positive()) {
          case EXISTS -> List.of();
          case IN -> list();
          default -> List.of(value(false));
        };
    return Comparisons.compile(subject, attribute, operator, arguments);
  }

  private Operator operator() {
    if (position >= text.length()) {
      throw expected("an operator (" + OPERATORS + ")");
    }
    for (Operator operator : Operator.BY_SYMBOL_LENGTH) {
      String symbol = operator.symbol;
      if (text.startsWith(symbol, position)) {
        boolean word = Character.isLetter(symbol.charAt(symbol.length() - 1));
        if (!word || endsWord(position + symbol.length())) {
          position += symbol.length();
          return operator;
        }
      }
    }
    int start = position;
    while (position < text.length()
        && (Character.isLetter(text.charAt(position)) || text.charAt(position) == '_')) {
      position++;
    }
    Operator operator = Operator.byWord(text.substring(start, position));
    if (operator == null || !endsWord(position)) {
      position = start;
      throw expected("an operator (" + OPERATORS + ")");
    }
    return operator;
  }

  /** Reads {@code [a, b, ...]}, or the same in parentheses. */
  private List<Argument> list() {
    skipSpace();
    char open = position < text.length() ? text.charAt(position) : 0;
    if (open != '[' && open != '(') {
      throw expected("an argument list such as [value1, value2]");
    }
    char close = open == '[' ? ']' : ')';
    position++;
    List<Argument> values = new ArrayList<>();
    while (true) {
      values.add(value(true));
      skipSpace();
      if (position < text.length() && text.charAt(position) == ',') {
        position++;
      } else if (position < text.length() && text.charAt(position) == close) {
        position++;
        return values;
      } else {
        throw expected("',' or '" + close + "'");
      }
    }
  }

  /** Reads one value: quoted, or bare up to the first character that ends it. */
  private Argument value(boolean inList) {
    skipSpace();
    int start = position;
    if (position < text.length()
        && (text.charAt(position) == '\'' || text.charAt(position) == '"')) {
      return quoted(start);
    }
    int depth = 0;
    while (position < text.length()) {
      char c = text.charAt(position);
      if (Character.isWhitespace(c)
          || text.startsWith("&&", position)
          || text.startsWith("||", position)) {
        break;
      }
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == ',' && inList && depth == 0) {
        break;
      }
      position++;
    }
    if (position == start) {
      throw expected("a value");
    }
    return new Argument(text.substring(start, position), start);
  }

  private Argument quoted(int start) {
    char quote = text.charAt(position++);
    StringBuilder value = new StringBuilder();
    while (position < text.length()) {
      char c = text.charAt(position++);
      if (c == quote) {
        return new Argument(value.toString(), start);
      }
      if (c == '\\' && position < text.length()) {
        char next = text.charAt(position);
        if (next == quote || next == '\\') {
          c = next;
          position++;
        }
      }
      value.append(c);
    }
    throw QueryErrors.at(start, "the value quoted here has no closing " + quote + ".");
  }

  /** Reads a subject: up to white space or a character that starts an operator or a group. */
  private String subjectWord() {
    int start = position;
    while (position < text.length() && "()[],=!<>~&|'\"".indexOf(text.charAt(position)) < 0) {
      if (Character.isWhitespace(text.charAt(position))) {
        break;
      }
      position++;
    }
    return text.substring(start, position);
  }

  /** Accepts {@code word} or {@code symbol} joining two expressions. */
  private boolean acceptJoin(String word, String symbol) {
    skipSpace();
    if (text.startsWith(symbol, position)) {
      position += symbol.length();
      return true;
    }
    return acceptWord(word);
  }

  /** Accepts a keyword, in any case, when a word boundary follows it. */
  private boolean acceptWord(String word) {
    if (text.regionMatches(true, position, word, 0, word.length())
        && endsWord(position + word.length())) {
      position += word.length();
      return true;
    }
    return false;
  }

  private boolean endsWord(int at) {
    if (at >= text.length()) {
      return true;
    }
    char c = text.charAt(at);
    return Character.isWhitespace(c) || c == '(' || c == ')' || c == '[' || c == '!';
  }

  private void skipSpace() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }

  private RuntimeException expected(String what) {
    String found =
        position >= text.length()
            ? "the end of the expression"
            : "'" + text.substring(position, Math.min(text.length(), position + 20)) + "'";
    return QueryErrors.at(position, "expected " + what + " but found " + found + ".");
  }
}
