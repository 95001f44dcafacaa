package dev.berth.server.auth;

import static dev.berth.server.auth.SdkSigning.ACCESS_KEY_ID;
import static dev.berth.server.auth.SdkSigning.SECRET;
import static dev.berth.server.auth.SdkSigning.SERVICE;
import static dev.berth.server.auth.SdkSigning.SIGNED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.api.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests that are unsigned, mis-signed, mis-scoped, stale or tampered with are refused. */
class SigV4VerifierRejectionTest {
  private static final String BODY = "{\"cluster\":\"default\"}";
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  private final SigV4Verifier verifier = SdkSigning.verifierAt(SIGNED_AT.plusSeconds(3));
  private final SignedRequest signed =
      SdkSigning.sign(SdkSigning.ecsJsonRequest("DescribeClusters"), BODY);

  @Test
  void requestWithoutAnyAuthenticationIsMissingAuthenticationToken() {
    SignedRequest unsigned = new SignedRequest("POST", "/", null, Map.of(), new byte[0]);

    AwsException error = rejection(verifier, unsigned);

    assertThat(error.code()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(error.status()).isEqualTo(403);
  }

  @Test
  void signatureMadeWithAnotherSecretDoesNotMatch() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("DescribeClusters"),
            BODY,
            ACCESS_KEY_ID,
            SECRET + "x",
            SERVICE);

    assertInvalidSignature(rejection(verifier, request), MISMATCH);
  }

  @Test
  void unknownAccessKeyIsAnUnrecognizedClient() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("DescribeClusters"), BODY, "AKIAUNKNOWN", SECRET, SERVICE);

    assertThat(rejection(verifier, request).code()).isEqualTo("UnrecognizedClientException");
  }

  @Test
  void credentialScopedToAnotherServiceIsRefused() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("DescribeClusters"), BODY, ACCESS_KEY_ID, SECRET, "sqs");

    assertInvalidSignature(
        rejection(verifier, request), "Credential should be scoped to correct service: 'ecs'. ");
  }

  @Test
  void signatureOlderThanFifteenMinutesHasExpired() {
    SigV4Verifier later = SdkSigning.verifierAt(SIGNED_AT.plus(Duration.ofMinutes(30)));

    assertInvalidSignature(
        rejection(later, signed),
        "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z"
            + " (20240101T003000Z - 15 min.)");
  }

  @Test
  void signatureExactlyFifteenMinutesOldIsStillCurrent() {
    SigV4Verifier later = SdkSigning.verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15)));

    assertThat(later.verify(signed, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void signatureMoreThanFifteenMinutesAheadIsNotYetCurrent() {
    SigV4Verifier earlier = SdkSigning.verifierAt(SIGNED_AT.minus(Duration.ofMinutes(30)));

    assertInvalidSignature(
        rejection(earlier, signed),
        "Signature not yet current: 20240101T000000Z is still later than 20231231T234500Z"
            + " (20231231T233000Z + 15 min.)");
  }

  @Test
  void tamperedBodyNoLongerMatchesTheHashTheSdkDeclared() {
    assertInvalidSignature(
        rejection(verifier, withBody(signed, "{\"cluster\":\"other\"}")),
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  @Test
  void tamperedBodyDoesNotMatchWhenOnlyTheSignatureCoversItsHash() {
    SignedRequest legacy =
        SdkSigning.signWithLegacySigner(SdkSigning.ecsJsonRequest("DescribeClusters"), BODY);

    assertThat(verifier.verify(legacy, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
    assertInvalidSignature(
        rejection(verifier, withBody(legacy, "{\"cluster\":\"other\"}")), MISMATCH);
  }

  @Test
  void tamperedSignedHeaderDoesNotMatch() {
    SignedRequest tampered =
        SdkSigning.withHeader(
            signed, "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DeleteCluster");

    assertInvalidSignature(rejection(verifier, tampered), MISMATCH);
  }

  @Test
  void unsignedHeaderMayChangeInTransit() {
    SignedRequest proxied = SdkSigning.withHeader(signed, "X-Forwarded-For", "10.0.0.1");

    assertThat(verifier.verify(proxied, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void signedHeaderAbsentFromTheRequestIsRefused() {
    SignedRequest stripped = SdkSigning.withHeader(signed, "X-Amz-Target", null);

    assertInvalidSignature(
        rejection(verifier, stripped),
        "Header 'x-amz-target' is listed in SignedHeaders but is not in the request.");
  }

  @Test
  void hostMustBeASignedHeader() {
    String authorization =
        SdkSigning.header(signed, "Authorization")
            .replaceFirst("SignedHeaders=[^,]*", "SignedHeaders=x-amz-date");

    assertInvalidSignature(
        rejection(verifier, SdkSigning.withHeader(signed, "Authorization", authorization)),
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void requestWithoutXAmzDateOrDateIsIncomplete() {
    SignedRequest undated = SdkSigning.withHeader(signed, "X-Amz-Date", null);

    AwsException error = rejection(verifier, undated);

    assertThat(error.code()).isEqualTo("IncompleteSignatureException");
    assertThat(error.getMessage())
        .isEqualTo(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                + " Authorization="
                + SdkSigning.header(signed, "Authorization"));
  }

  @Test
  void xAmzDateNotInBasicFormatIsIncomplete() {
    SignedRequest request = SdkSigning.withHeader(signed, "X-Amz-Date", "2024-01-01T00:00:00Z");

    AwsException error = rejection(verifier, request);

    assertThat(error.code()).isEqualTo("IncompleteSignatureException");
    assertThat(error.getMessage())
        .isEqualTo(
            "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'."
                + " See http://en.wikipedia.org/wiki/ISO_8601");
  }

  @Test
  void credentialScopeDateMustBeTheDateOfXAmzDate() {
    String authorization =
        SdkSigning.header(signed, "Authorization").replace("/20240101/", "/20231231/");

    assertInvalidSignature(
        rejection(verifier, SdkSigning.withHeader(signed, "Authorization", authorization)),
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
            + " HTTP: '20231231' != '20240101', from '20240101T000000Z'.");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Bearer abc| IncompleteSignatureException| Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc
          AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date| IncompleteSignatureException| Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date
          AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=| IncompleteSignatureException| Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=
          AWS4-HMAC-SHA512 Credential=AKID/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00| IncompleteSignatureException| Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now).
          AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs, SignedHeaders=host;x-amz-date, Signature=00| IncompleteSignatureException| Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20240101/us-east-1/ecs'
          AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws4_request/extra, SignedHeaders=host;x-amz-date, Signature=00| IncompleteSignatureException| Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20240101/us-east-1/ecs/aws4_request/extra'
          AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecs/aws5_request, SignedHeaders=host;x-amz-date, Signature=00| InvalidSignatureException| Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.
          AWS4-HMAC-SHA256 Credential=AKID/20240101//sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00| InvalidSignatureException| Credential should be scoped to a valid region, not ''. Credential should be scoped to correct service: 'ecs'.
          """)
  void malformedAuthorizationHeaderIsAnsweredAsAwsDoes(
      String authorization, String code, String message) {
    AwsException error =
        rejection(verifier, SdkSigning.withHeader(signed, "Authorization", authorization));

    assertThat(error.code()).isEqualTo(code);
    // CSV trims the trailing space AWS leaves after some of these messages.
    assertThat(error.getMessage().strip()).isEqualTo(message);
  }

  @Test
  void declaredContentSha256MustMatchTheBody() {
    String bodyHash = Sha256.hashHex(BODY.getBytes(StandardCharsets.UTF_8));
    SignedRequest declared =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("DescribeClusters").toBuilder()
                .putHeader("x-amz-content-sha256", bodyHash)
                .build(),
            BODY);
    SignedRequest tampered = withBody(declared, "{}");

    assertThat(verifier.verify(declared, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
    assertInvalidSignature(
        rejection(verifier, tampered),
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  @Test
  void presignedUrlPastItsExpiryHasExpired() {
    SignedRequest presigned =
        SdkSigning.presign(SdkSigning.get("/").build(), Duration.ofMinutes(5));
    SigV4Verifier later = SdkSigning.verifierAt(SIGNED_AT.plus(Duration.ofMinutes(6)));

    assertInvalidSignature(
        rejection(later, presigned),
        "Signature expired: 20240101T000000Z is now earlier than 20240101T000100Z"
            + " (20240101T000600Z - 300 sec.)");
  }

  @Test
  void presignedUrlWithTamperedParameterDoesNotMatch() {
    SignedRequest presigned =
        SdkSigning.presign(
            SdkSigning.get("/").putRawQueryParameter("cluster", "default").build(),
            Duration.ofMinutes(5));
    SignedRequest tampered =
        new SignedRequest(
            presigned.method(),
            presigned.rawPath(),
            presigned.rawQuery().replace("cluster=default", "cluster=prod"),
            presigned.headers(),
            presigned.body());

    assertInvalidSignature(rejection(verifier, tampered), MISMATCH);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z| AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters.
          X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fecs%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00| AWS query-string parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters.
          X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fecs%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=soon| X-Amz-Expires should be a number
          X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fecs%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=604801| X-Amz-Expires must be less than a week (in seconds) that is 604800
          """)
  void malformedPresignedUrlIsIncomplete(String rawQuery, String message) {
    SignedRequest request =
        new SignedRequest("GET", "/", rawQuery, Map.of("Host", List.of(SdkSigning.ECS_HOST)), null);

    AwsException error = rejection(verifier, request);

    assertThat(error.code()).isEqualTo("IncompleteSignatureException");
    assertThat(error.getMessage()).isEqualTo(message);
  }

  @Test
  void headerAndPresignedAuthenticationTogetherAreRefused() {
    SignedRequest both =
        new SignedRequest(
            signed.method(),
            signed.rawPath(),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            signed.headers(),
            signed.body());

    assertThat(rejection(verifier, both).code()).isEqualTo("IncompleteSignatureException");
  }

  private static AwsException rejection(SigV4Verifier verifier, SignedRequest request) {
    try {
      Principal principal = verifier.verify(request, SERVICE);
      return fail("expected a rejection, but verified " + principal);
    } catch (AwsException e) {
      return e;
    }
  }

  private static SignedRequest withBody(SignedRequest request, String body) {
    return new SignedRequest(
        request.method(),
        request.rawPath(),
        request.rawQuery(),
        request.headers(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertInvalidSignature(AwsException error, String message) {
    assertThat(error.code()).isEqualTo("InvalidSignatureException");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).isEqualTo(message);
  }
}
