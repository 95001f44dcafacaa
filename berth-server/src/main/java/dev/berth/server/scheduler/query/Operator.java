package dev.berth.server.scheduler.query;

/**
 * The comparison operators of ECS's cluster query language, each with its symbol and its word. A
 * negated operator is evaluated as the negation of its positive twin.
 */
enum Operator {
  EQUALS("==", "equals"),
  NOT_EQUALS("!=", "not_equals"),
  GREATER_THAN(">", "greater_than"),
  GREATER_THAN_EQUAL(">=", "greater_than_equal"),
  LESS_THAN("<", "less_than"),
  LESS_THAN_EQUAL("<=", "less_than_equal"),
  EXISTS(null, "exists"),
  NOT_EXISTS("!exists", "not_exists"),
  IN(null, "in"),
  NOT_IN("!in", "not_in"),
  MATCHES("=~", "matches"),
  NOT_MATCHES("!~", "not_matches");

  /** Symbols longest first, so that {@code >=} is not read as {@code >}. */
  static final Operator[] BY_SYMBOL_LENGTH = {
    NOT_EXISTS,
    NOT_IN,
    EQUALS,
    NOT_EQUALS,
    GREATER_THAN_EQUAL,
    LESS_THAN_EQUAL,
    MATCHES,
    NOT_MATCHES,
    GREATER_THAN,
    LESS_THAN
  };

  final String symbol;
  final String word;

  Operator(String symbol, String word) {
    this.symbol = symbol;
    this.word = word;
  }

  /** Returns the operator with that word, or null. */
  static Operator byWord(String word) {
    for (Operator operator : values()) {
      if (operator.word.equals(word)) {
        return operator;
      }
    }
    return null;
  }

  /** Returns true for the operators that are the negation of another. */
  boolean negated() {
    return this == NOT_EQUALS || this == NOT_EXISTS || this == NOT_IN || this == NOT_MATCHES;
  }

  /** Returns the operator this one negates, or itself if it negates none. */
  Operator positive() {
    return switch (this) {
      case NOT_EQUALS -> EQUALS;
      case NOT_EXISTS -> EXISTS;
      case NOT_IN -> IN;
      case NOT_MATCHES -> MATCHES;
      default -> this;
    };
  }

  /** Returns true for the ordering operators {@code > >= < <=}. */
  boolean ordering() {
    return this == GREATER_THAN
        || this == GREATER_THAN_EQUAL
        || this == LESS_THAN
        || this == LESS_THAN_EQUAL;
  }

  /** Returns whether a comparison result satisfies this equality or ordering operator. */
  boolean holds(int comparison) {
    return switch (this) {
      case EQUALS -> comparison == 0;
      case GREATER_THAN -> comparison > 0;
      case GREATER_THAN_EQUAL -> comparison >= 0;
      case LESS_THAN -> comparison < 0;
      case LESS_THAN_EQUAL -> comparison <= 0;
      default -> throw new IllegalStateException(this + " is not a comparison");
    };
  }

  /** Returns how the operator is written in messages: {@code == (equals)}. */
  String display() {
    return symbol == null ? word : symbol + " (" + word + ")";
  }
}
