package dev.berth.server.logs;

/**
 * A place between events in (timestamp, eventId) order, which GetLogEvents' forward and backward
 * tokens and FilterLogEvents' nextToken carry.
 */
record EventPosition(long timestamp, long id) {
  /** Before every event. */
  static final EventPosition HEAD = new EventPosition(Long.MIN_VALUE, Long.MIN_VALUE);

  /** After every event. */
  static final EventPosition TAIL = new EventPosition(Long.MAX_VALUE, Long.MAX_VALUE);

  /** Returns the position just at an event (after it going forward, before it going back). */
  static EventPosition of(LogEventTable.StoredEvent event) {
    return new EventPosition(event.timestamp(), event.id());
  }

  /** Returns the position as text, {@code TIMESTAMP/ID}. */
  String text() {
    return timestamp + "/" + id;
  }

  /** Parses {@link #text()}, or throws InvalidParameterException. */
  static EventPosition parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw PageToken.invalid();
    }
    try {
      return new EventPosition(
          Long.parseLong(text.substring(0, slash)), Long.parseLong(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw PageToken.invalid();
    }
  }
}
