package dev.berth.server.auth;

import dev.berth.api.ProtocolErrors;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Reads and writes SigV4 timestamps: ISO 8601 basic format in UTC, e.g. "20150830T123600Z". */
final class AmzDate {
  private AmzDate() {}

  /**
   * Returns the instant {@code value} names. With {@code httpDateAllowed} an RFC 1123 value, as a
   * plain {@code Date} header carries, is accepted too.
   */
  static Instant parse(String value, boolean httpDateAllowed) {
    Instant basic = parseBasic(value);
    if (basic != null) {
      return basic;
    }
    if (httpDateAllowed) {
      // The day of the week is redundant, and the 2011 AWS test suite itself gets it wrong, so
      // it is dropped rather than checked (RFC_1123_DATE_TIME makes it optional).
      int comma = value.indexOf(',');
      String withoutDayOfWeek = comma < 0 ? value : value.substring(comma + 1).strip();
      try {
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(withoutDayOfWeek, Instant::from);
      } catch (DateTimeException e) {
        // Reported below with the same message as any other malformed date.
      }
    }
    throw ProtocolErrors.incompleteSignature(
        "Date must be in ISO-8601 'basic format'. Got '"
            + value
            + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  /** Returns {@code instant} in basic format, truncated to the second. */
  static String format(Instant instant) {
    LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(16);
    pad(out, time.getYear(), 4);
    pad(out, time.getMonthValue(), 2);
    pad(out, time.getDayOfMonth(), 2);
    out.append('T');
    pad(out, time.getHour(), 2);
    pad(out, time.getMinute(), 2);
    pad(out, time.getSecond(), 2);
    return out.append('Z').toString();
  }

  private static Instant parseBasic(String value) {
    if (value.length() != 16 || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
      return null;
    }
    for (int i = 0; i < 15; i++) {
      if (i != 8 && (value.charAt(i) < '0' || value.charAt(i) > '9')) {
        return null;
      }
    }
    try {
      return LocalDateTime.of(
              number(value, 0, 4),
              number(value, 4, 6),
              number(value, 6, 8),
              number(value, 9, 11),
              number(value, 11, 13),
              number(value, 13, 15))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int number(String digits, int from, int to) {
    int result = 0;
    for (int i = from; i < to; i++) {
      result = result * 10 + (digits.charAt(i) - '0');
    }
    return result;
  }

  private static void pad(StringBuilder out, int number, int width) {
    String digits = Integer.toString(number);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }
}
