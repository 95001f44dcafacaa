package dev.berth.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Percent-decodes wire URIs and percent-encodes text the way SigV4 canonical requests require. */
final class UriEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {}

  /**
   * Appends {@code text} to {@code out} with every character except the RFC 3986 unreserved ones
   * (and '/' if {@code keepSlash}) percent-encoded as UTF-8 bytes with upper-case hex digits.
   */
  static void encode(CharSequence text, int from, int to, boolean keepSlash, StringBuilder out) {
    byte[] utf8 = null;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        out.append(c);
        continue;
      }
      int codePoint = c;
      if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        codePoint = Character.toCodePoint(c, text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate has no UTF-8 form; Java's encoders, the SDK's included, write '?'.
        codePoint = '?';
      }
      if (utf8 == null) {
        utf8 = new byte[4];
      }
      int length = putUtf8(codePoint, utf8, 0);
      for (int b = 0; b < length; b++) {
        out.append('%').append(HEX[(utf8[b] >> 4) & 0xF]).append(HEX[utf8[b] & 0xF]);
      }
    }
  }

  /**
   * Appends the canonical form of the query-string component {@code raw[from, to)}: the bytes it
   * decodes to (with '+' read as a space), percent-encoded again with only unreserved characters
   * left bare. Working on bytes keeps escapes that are not valid UTF-8 as the client signed them.
   */
  static void canonicalizeQueryComponent(String raw, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = raw.charAt(i);
      int high;
      int low;
      if (c == '+') {
        out.append("%20");
      } else if (c == '%'
          && i + 2 < to
          && (high = Character.digit(raw.charAt(i + 1), 16)) >= 0
          && (low = Character.digit(raw.charAt(i + 2), 16)) >= 0) {
        char decoded = (char) ((high << 4) | low);
        if (isUnreserved(decoded)) {
          out.append(decoded);
        } else {
          out.append('%').append(HEX[high]).append(HEX[low]);
        }
        i += 2;
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < to && Character.isLowSurrogate(raw.charAt(end))) {
          end++;
        }
        encode(raw, i, end, false, out);
        i = end - 1;
      }
    }
  }

  /**
   * Returns {@code text[from, to)} percent-decoded as UTF-8, reading '+' as a space as query
   * strings do; a '%' not followed by two hex digits stays as it is.
   */
  static String decodeQueryComponent(String text, int from, int to) {
    int i = from;
    while (i < to && text.charAt(i) != '%' && text.charAt(i) != '+') {
      i++;
    }
    if (i == to) {
      return text.substring(from, to);
    }
    byte[] bytes = new byte[(to - from) * 3];
    int length = 0;
    for (i = from; i < to; i++) {
      char c = text.charAt(i);
      int high;
      int low;
      if (c == '+') {
        bytes[length++] = ' ';
      } else if (c == '%'
          && i + 2 < to
          && (high = Character.digit(text.charAt(i + 1), 16)) >= 0
          && (low = Character.digit(text.charAt(i + 2), 16)) >= 0) {
        bytes[length++] = (byte) ((high << 4) | low);
        i += 2;
      } else if (c < 0x80) {
        bytes[length++] = (byte) c;
      } else {
        int codePoint = c;
        if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          codePoint = Character.toCodePoint(c, text.charAt(++i));
        } else if (Character.isSurrogate(c)) {
          codePoint = '?';
        }
        length = putUtf8(codePoint, bytes, length);
      }
    }
    return new String(bytes, 0, length, UTF_8);
  }

  private static int putUtf8(int codePoint, byte[] bytes, int at) {
    if (codePoint < 0x80) {
      bytes[at++] = (byte) codePoint;
    } else if (codePoint < 0x800) {
      bytes[at++] = (byte) (0xC0 | (codePoint >> 6));
      bytes[at++] = (byte) (0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
      bytes[at++] = (byte) (0xE0 | (codePoint >> 12));
      bytes[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
      bytes[at++] = (byte) (0x80 | (codePoint & 0x3F));
    } else {
      bytes[at++] = (byte) (0xF0 | (codePoint >> 18));
      bytes[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
      bytes[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
      bytes[at++] = (byte) (0x80 | (codePoint & 0x3F));
    }
    return at;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~';
  }
}
