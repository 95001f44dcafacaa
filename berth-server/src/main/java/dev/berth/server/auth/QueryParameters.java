package dev.berth.server.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The query string of a request as SigV4 sees it: every parameter in canonical encoding, sorted by
 * name and then by value.
 */
final class QueryParameters {
  private static final QueryParameters NONE = new QueryParameters(List.of());
  private static final Comparator<Parameter> CANONICAL_ORDER =
      Comparator.comparing(Parameter::name).thenComparing(Parameter::value);

  private final List<Parameter> parameters;

  /** One parameter, name and value both in canonical encoding. */
  record Parameter(String name, String value) {}

  private QueryParameters(List<Parameter> parameters) {
    this.parameters = parameters;
  }

  /** Returns the parameters of {@code rawQuery}, the query string as on the wire (may be null). */
  static QueryParameters parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return NONE;
    }
    List<Parameter> parameters = new ArrayList<>();
    StringBuilder scratch = new StringBuilder(rawQuery.length() + 16);
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      int equals = rawQuery.indexOf('=', start);
      int nameEnd = equals < 0 || equals > end ? end : equals;
      // The SDKs leave parameters without a name out of the canonical query string.
      if (nameEnd > start) {
        scratch.setLength(0);
        UriEncoding.canonicalizeQueryComponent(rawQuery, start, nameEnd, scratch);
        String name = scratch.toString();
        scratch.setLength(0);
        if (nameEnd < end) {
          UriEncoding.canonicalizeQueryComponent(rawQuery, nameEnd + 1, end, scratch);
        }
        parameters.add(new Parameter(name, scratch.toString()));
      }
      start = end + 1;
    }
    parameters.sort(CANONICAL_ORDER);
    return new QueryParameters(parameters);
  }

  /**
   * Returns the decoded value of the first parameter named {@code name}, or null if there is none.
   * The name must consist of unreserved characters only, as all X-Amz-* names do.
   */
  String decoded(String name) {
    for (Parameter parameter : parameters) {
      if (parameter.name().equals(name)) {
        String value = parameter.value();
        return UriEncoding.decodeQueryComponent(value, 0, value.length());
      }
    }
    return null;
  }

  /** Returns whether a parameter named {@code name} is present. */
  boolean contains(String name) {
    for (Parameter parameter : parameters) {
      if (parameter.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Appends the canonical query string, leaving out parameters named {@code excluded}. */
  void appendCanonical(String excluded, StringBuilder out) {
    boolean first = true;
    for (Parameter parameter : parameters) {
      if (parameter.name().equals(excluded)) {
        continue;
      }
      if (!first) {
        out.append('&');
      }
      out.append(parameter.name()).append('=').append(parameter.value());
      first = false;
    }
  }
}
