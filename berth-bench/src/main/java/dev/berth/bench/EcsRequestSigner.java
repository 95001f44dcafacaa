package dev.berth.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Signs the benchmark's ECS calls (AWS JSON 1.1 POSTs to the endpoint's root) with SigV4, giving
 * the signature the SDK's {@code AwsV4HttpSigner} gives them (a test holds the two together), but
 * cheaply: the day's signing key is derived once, one digest and one MAC serve every call, and the
 * canonical request is one string built from the few headers such a call has. The SDK's signer
 * builds a request, header maps and canonical forms anew and derives the key with four HMACs on
 * every call, which was about half of the benchmark clients' CPU.
 *
 * <p>Not thread-safe: each connection has its own, used on its event-loop thread.
 */
final class EcsRequestSigner {
  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String SIGNED_HEADERS =
      "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target";
  private static final String SIGNED_HEADERS_WITH_TOKEN =
      "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target";
  private static final HexFormat HEX = HexFormat.of();

  private final String host;
  private final String region;
  private final String service;
  private final AwsCredentialsProvider credentials;
  private final Clock clock;
  private final MessageDigest sha256;
  private final Mac hmac;
  // The x-amz-date of the last call's second, and the key of its day and secret, which hmac holds.
  private long lastSecond = Long.MIN_VALUE;
  private String lastAmzDate;
  private String keySecret;
  private String keyDate;

  /** The headers that sign a call, besides Host and Content-Type. */
  record Signature(
      String amzDate, String contentSha256, String securityToken, String authorization) {}

  /**
   * Creates a signer of calls to the host (with its port, as the Host header gives it) for the
   * region and service, with the credentials, at the clock's time.
   */
  EcsRequestSigner(
      String host, String region, String service, AwsCredentialsProvider credentials, Clock clock) {
    this.host = requireNonNull(host);
    this.region = requireNonNull(region);
    this.service = requireNonNull(service);
    this.credentials = requireNonNull(credentials);
    this.clock = requireNonNull(clock);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks SHA-256", e);
    }
  }

  /** Returns the signature of a call of the target (X-Amz-Target) with the JSON body. */
  Signature sign(String target, byte[] body) {
    AwsCredentials identity = credentials.resolveCredentials();
    String token =
        identity instanceof AwsSessionCredentials session ? session.sessionToken() : null;
    String amzDate = amzDate();
    String date = amzDate.substring(0, 8);
    String contentSha256 = HEX.formatHex(sha256.digest(body));
    StringBuilder canonical = new StringBuilder(512);
    canonical
        .append("POST\n/\n\ncontent-type:")
        .append(CONTENT_TYPE)
        .append("\nhost:")
        .append(host)
        .append("\nx-amz-content-sha256:")
        .append(contentSha256)
        .append("\nx-amz-date:")
        .append(amzDate)
        .append('\n');
    if (token != null) {
      canonical.append("x-amz-security-token:").append(token).append('\n');
    }
    String signedHeaders = token == null ? SIGNED_HEADERS : SIGNED_HEADERS_WITH_TOKEN;
    canonical
        .append("x-amz-target:")
        .append(target)
        .append("\n\n")
        .append(signedHeaders)
        .append('\n')
        .append(contentSha256);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HEX.formatHex(sha256.digest(canonical.toString().getBytes(UTF_8)));
    useKey(identity.secretAccessKey(), date);
    String signature = HEX.formatHex(hmac.doFinal(stringToSign.getBytes(UTF_8)));
    String authorization =
        ALGORITHM
            + " Credential="
            + identity.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature;
    return new Signature(amzDate, contentSha256, token, authorization);
  }

  /** Returns the clock's time in SigV4's basic format, e.g. 20150830T123600Z. */
  private String amzDate() {
    long now = Math.floorDiv(clock.millis(), 1000);
    if (now != lastSecond) {
      LocalDateTime time = LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC);
      lastAmzDate =
          String.format(
              "%04d%02d%02dT%02d%02d%02dZ",
              time.getYear(),
              time.getMonthValue(),
              time.getDayOfMonth(),
              time.getHour(),
              time.getMinute(),
              time.getSecond());
      lastSecond = now;
    }
    return lastAmzDate;
  }

  /** Initializes the MAC with the signing key of the secret and day, deriving it on a change. */
  private void useKey(String secret, String date) {
    if (secret.equals(keySecret) && date.equals(keyDate)) {
      return;
    }
    byte[] key = ("AWS4" + secret).getBytes(UTF_8);
    for (String part : new String[] {date, region, service, "aws4_request"}) {
      initMac(key);
      key = hmac.doFinal(part.getBytes(UTF_8));
    }
    initMac(key);
    keySecret = secret;
    keyDate = date;
  }

  private void initMac(byte[] key) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 refused a key", e);
    }
  }
}
