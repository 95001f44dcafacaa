package dev.berth.server.auth;

import dev.berth.api.ProtocolErrors;

/**
 * The credential a signature names, {@code AKID/yyyyMMdd/region/service/aws4_request}: whose key
 * signed, and the day, region and service the signing key was derived for.
 */
record CredentialScope(
    String accessKeyId, String date, String region, String service, String terminator) {
  static final String TERMINATOR = "aws4_request";

  /** Returns the scope {@code credential} names, or throws IncompleteSignature if malformed. */
  static CredentialScope parse(String credential) {
    // AWS ignores trailing slashes before counting the elements.
    int end = credential.length();
    while (end > 0 && credential.charAt(end - 1) == '/') {
      end--;
    }
    String[] parts = credential.substring(0, end).split("/", -1);
    if (parts.length != 5) {
      throw ProtocolErrors.incompleteSignature(
          "Credential must have exactly 5 slash-delimited elements, "
              + "e.g. keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
  }

  /**
   * Throws InvalidSignature, naming every element that is wrong, unless the scope is for {@code
   * expectedService} (any service when null), for a region {@code regions} accepts, and for the day
   * of {@code requestTime} (basic format).
   */
  void check(String expectedService, SigningRegions regions, String requestTime) {
    StringBuilder problems = new StringBuilder();
    // AWS answers a region it does not serve as it answers an empty one; a made-up region would
    // otherwise silently get state of its own.
    if (region.isEmpty() || !regions.accepts(region)) {
      problems.append("Credential should be scoped to a valid region, not '").append(region);
      problems.append("'. ");
    }
    if (expectedService != null && !service.equals(expectedService)) {
      problems.append("Credential should be scoped to correct service: '").append(expectedService);
      problems.append("'. ");
    }
    if (!terminator.equals(TERMINATOR)) {
      problems.append("Credential should be scoped with a valid terminator: '").append(TERMINATOR);
      problems.append("', not '").append(terminator).append("'. ");
    }
    String requestDate = requestTime.substring(0, 8);
    if (!date.equals(requestDate)) {
      problems
          .append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date")
          .append(" from HTTP: '")
          .append(date)
          .append("' != '")
          .append(requestDate)
          .append("', from '")
          .append(requestTime)
          .append("'.");
    }
    if (!problems.isEmpty()) {
      throw ProtocolErrors.invalidSignature(problems.toString());
    }
  }

  /** Returns the scope as the string to sign carries it: {@code date/region/service/term}. */
  String text() {
    return date + '/' + region + '/' + service + '/' + terminator;
  }
}
