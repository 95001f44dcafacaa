package dev.berth.server.api;

import dev.berth.api.AwsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A request body as its operation reads it: AWS SDKs gzip large bodies of operations the model
 * marks for request compression (CloudWatch's PutMetricData, over 10 KiB) and say so in {@code
 * Content-Encoding}; the signature covers the body as sent, so only the reading is decoded.
 */
final class RequestBodies {
  /** The most a compressed body may grow to: a guard against a small body that inflates hugely. */
  static final int MAX_DECODED_BYTES = 16 << 20;

  private RequestBodies() {}

  /** Returns the request's body, gunzipped when its Content-Encoding says gzip. */
  static byte[] decoded(ApiRequest request) {
    String encoding = request.header("content-encoding");
    if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
      return request.body();
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
      byte[] decoded = in.readNBytes(MAX_DECODED_BYTES + 1);
      if (decoded.length > MAX_DECODED_BYTES) {
        throw new AwsException(
            "RequestEntityTooLarge", 413, "The decompressed request body is too large.");
      }
      return decoded;
    } catch (IOException e) {
      throw new AwsException("SerializationException", 400, "The gzip request body is corrupt.");
    }
  }
}
