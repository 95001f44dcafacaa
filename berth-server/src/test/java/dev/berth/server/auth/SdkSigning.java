package dev.berth.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;

/** Signs requests with the AWS SDK's own SigV4 signer and turns them into what the wire carries. */
final class SdkSigning {
  static final String ACCESS_KEY_ID = "AKIABERTHTESTKEY0001";
  static final String SECRET = "berthSecretKey/with+symbols0123456789abcd";
  static final String REGION = "us-east-1";
  static final String SERVICE = "ecs";
  static final Instant SIGNED_AT = Instant.parse("2024-01-01T00:00:00Z");
  static final String ECS_HOST = "ecs.us-east-1.amazonaws.com";

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private SdkSigning() {}

  /** Returns the secrets of the one test key. */
  static SecretKeys keys() {
    return id -> ACCESS_KEY_ID.equals(id) ? SECRET : null;
  }

  /** Returns a verifier for the test key whose clock reads {@code now}. */
  static SigV4Verifier verifierAt(Instant now) {
    return new SigV4Verifier(keys(), Clock.fixed(now, ZoneOffset.UTC));
  }

  /** Returns an ECS JSON request as the AWS SDK builds one, before signing. */
  static SdkHttpRequest ecsJsonRequest(String operation) {
    return SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .protocol("https")
        .host(ECS_HOST)
        .encodedPath("/")
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation)
        .build();
  }

  /** Returns a GET request to {@code host} with {@code encodedPath}, before signing. */
  static SdkHttpRequest.Builder get(String encodedPath) {
    return SdkHttpRequest.builder()
        .method(SdkHttpMethod.GET)
        .protocol("https")
        .host(ECS_HOST)
        .encodedPath(encodedPath);
  }

  /** Returns {@code request} signed in its Authorization header at {@link #SIGNED_AT}. */
  static SignedRequest sign(SdkHttpRequest request, String body) {
    return sign(request, body, ACCESS_KEY_ID, SECRET, SERVICE);
  }

  /** Returns {@code request} signed with the given credentials and service at SIGNED_AT. */
  static SignedRequest sign(
      SdkHttpRequest request, String body, String accessKeyId, String secret, String service) {
    return sign(request, body, accessKeyId, secret, service, REGION, true);
  }

  /** Returns {@code request} signed with the test key for the region given at SIGNED_AT. */
  static SignedRequest signIn(SdkHttpRequest request, String body, String region) {
    return sign(request, body, ACCESS_KEY_ID, SECRET, SERVICE, region, true);
  }

  /**
   * Returns {@code request} signed at SIGNED_AT as the SDK signs with payload signing off over
   * HTTPS: the body left out, {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} in its place.
   */
  static SignedRequest signWithoutPayload(SdkHttpRequest request, String body) {
    return sign(request, body, ACCESS_KEY_ID, SECRET, SERVICE, REGION, false);
  }

  private static SignedRequest sign(
      SdkHttpRequest request,
      String body,
      String accessKeyId,
      String secret,
      String service,
      String region,
      boolean payloadSigning) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest signed =
        SIGNER
            .sign(
                r ->
                    r.identity(AwsBasicCredentials.create(accessKeyId, secret))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)))
            .request();
    return onTheWire(signed, bytes);
  }

  /** Returns {@code request} presigned at SIGNED_AT for {@code expiresIn}. */
  static SignedRequest presign(SdkHttpRequest request, Duration expiresIn) {
    SdkHttpRequest signed =
        SIGNER
            .sign(
                r ->
                    r.identity(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(new byte[0]))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                        .putProperty(
                            AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiresIn)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)))
            .request();
    return onTheWire(signed, new byte[0]);
  }

  /**
   * Returns {@code request} signed at SIGNED_AT by the SDK's older {@code Aws4Signer}, which (like
   * many SigV4 clients) sends no x-amz-content-sha256 header, so the body hash is only signed.
   */
  @SuppressWarnings("deprecation")
  static SignedRequest signWithLegacySigner(SdkHttpRequest request, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest full =
        SdkHttpFullRequest.builder()
            .method(request.method())
            .protocol(request.protocol())
            .host(request.host())
            .encodedPath(request.encodedPath())
            .rawQueryParameters(request.rawQueryParameters())
            .headers(request.headers())
            .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes))
            .build();
    SdkHttpFullRequest signed =
        Aws4Signer.create()
            .sign(
                full,
                Aws4SignerParams.builder()
                    .awsCredentials(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET))
                    .signingName(SERVICE)
                    .signingRegion(Region.US_EAST_1)
                    .signingClockOverride(Clock.fixed(SIGNED_AT, ZoneOffset.UTC))
                    .build());
    return onTheWire(signed, bytes);
  }

  /** Returns what a server receives for {@code signed}: wire path, wire query, headers, body. */
  static SignedRequest onTheWire(SdkHttpRequest signed, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    if (signed.firstMatchingHeader("Host").isEmpty()) {
      headers.put("Host", List.of(signed.host()));
    }
    return new SignedRequest(
        signed.method().name(),
        signed.encodedPath().isEmpty() ? "/" : signed.encodedPath(),
        signed.encodedQueryParameters().orElse(null),
        headers,
        body);
  }

  /** Returns {@code request} with header {@code name} (any case) replaced by {@code value}. */
  static SignedRequest withHeader(SignedRequest request, String name, String value) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request
        .headers()
        .forEach(
            (key, values) -> {
              if (!key.equalsIgnoreCase(name)) {
                headers.put(key, values);
              }
            });
    if (value != null) {
      headers.put(name, List.of(value));
    }
    return new SignedRequest(
        request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
  }

  /** Returns the first value of header {@code name} (any case) of {@code request}. */
  static String header(SignedRequest request, String name) {
    return request.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElseThrow();
  }
}
