package dev.berth.server.auth;

import static dev.berth.api.ProtocolErrors.invalidSignature;

import java.util.ArrayList;
import java.util.List;

/**
 * The SigV4 canonical request of a non-S3 service, rebuilt from a request as it came off the wire.
 * Non-S3 services normalize the path and encode it a second time, so that is what this does.
 */
final class CanonicalRequest {
  private CanonicalRequest() {}

  /**
   * Returns the canonical request of {@code request} for the headers {@code claim} signed, with
   * {@code payloadHash} as its last line; throws InvalidSignature if a signed header is absent.
   */
  static String of(
      SignedRequest request,
      QueryParameters query,
      RequestHeaders headers,
      SignatureClaim claim,
      String payloadHash) {
    StringBuilder out = new StringBuilder(512);
    out.append(request.method()).append('\n');
    appendPath(request.rawPath(), out);
    out.append('\n');
    // A presigned URL cannot sign its own signature, so that parameter is left out.
    query.appendCanonical(claim.presigned() ? "X-Amz-Signature" : null, out);
    out.append('\n');
    for (String name : claim.signedHeaders()) {
      out.append(name).append(':');
      if (!headers.appendCanonicalValue(name, out)) {
        throw invalidSignature(
            "Header '" + name + "' is listed in SignedHeaders but is not in the request.");
      }
      out.append('\n');
    }
    out.append('\n');
    out.append(String.join(";", claim.signedHeaders())).append('\n');
    return out.append(payloadHash).toString();
  }

  /**
   * Appends the canonical form of the wire path {@code rawPath}: dot segments removed, runs of
   * slashes collapsed (as botocore and the AWS test suite do), and every character outside the
   * unreserved set percent-encoded, '%' of the existing escapes included.
   */
  static void appendPath(String rawPath, StringBuilder out) {
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      out.append('/');
      return;
    }
    List<int[]> segments = new ArrayList<>();
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      int length = end - start;
      boolean dot = length == 1 && rawPath.charAt(start) == '.';
      boolean dotDot = length == 2 && rawPath.startsWith("..", start);
      if (dotDot) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else if (length > 0 && !dot) {
        segments.add(new int[] {start, end});
      }
      start = end + 1;
    }
    for (int[] segment : segments) {
      out.append('/');
      UriEncoding.encode(rawPath, segment[0], segment[1], false, out);
    }
    if (segments.isEmpty() || rawPath.charAt(rawPath.length() - 1) == '/') {
      out.append('/');
    }
  }
}
