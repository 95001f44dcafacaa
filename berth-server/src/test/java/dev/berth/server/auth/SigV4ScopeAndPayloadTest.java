package dev.berth.server.auth;

import static dev.berth.server.auth.SdkSigning.ACCESS_KEY_ID;
import static dev.berth.server.auth.SdkSigning.SERVICE;
import static dev.berth.server.auth.SdkSigning.SIGNED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A signature's scope must name one of AWS's regions (or one the server is configured with), a
 * signature must cover the body (no UNSIGNED-PAYLOAD outside S3), and a request's headers can be
 * judged before its body is read.
 */
class SigV4ScopeAndPayloadTest {
  private static final String BODY = "{\"cluster\":\"default\"}";
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  private final SigV4Verifier verifier = SdkSigning.verifierAt(SIGNED_AT.plusSeconds(3));

  @Test
  void everyAwsRegionIsAccepted() {
    for (String region : List.of("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1")) {
      SignedRequest request = SdkSigning.signIn(describeClusters(), BODY, region);

      assertThat(verifier.verify(request, SERVICE).region()).isEqualTo(region);
    }
  }

  @Test
  void aRegionAwsDoesNotHaveIsAnInvalidSignature() {
    SignedRequest request = SdkSigning.signIn(describeClusters(), BODY, "zz-nowhere-9");

    AwsException error = rejection(verifier, request);

    assertThat(error.code()).isEqualTo("InvalidSignatureException");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage())
        .isEqualTo("Credential should be scoped to a valid region, not 'zz-nowhere-9'. ");
  }

  @Test
  void aTwoHundredCharacterRegionIsRefused() {
    String region = "r".repeat(200);

    AwsException error = rejection(verifier, SdkSigning.signIn(describeClusters(), BODY, region));

    assertThat(error.code()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void globalPseudoRegionsAreNotSigningRegions() {
    AwsException error =
        rejection(verifier, SdkSigning.signIn(describeClusters(), BODY, "aws-global"));

    assertThat(error.code()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void aConfiguredRegionIsAcceptedBesideAwsOnes() {
    SigV4Verifier configured =
        new SigV4Verifier(
            SdkSigning.keys(),
            Clock.fixed(SIGNED_AT.plusSeconds(3), ZoneOffset.UTC),
            SigningRegions.awsAnd(List.of("on-premises-1")));

    assertThat(
            configured
                .verify(SdkSigning.signIn(describeClusters(), BODY, "on-premises-1"), SERVICE)
                .region())
        .isEqualTo("on-premises-1");
    assertThat(
            configured
                .verify(SdkSigning.signIn(describeClusters(), BODY, "us-east-1"), SERVICE)
                .region())
        .isEqualTo("us-east-1");
    assertThat(rejection(configured, SdkSigning.signIn(describeClusters(), BODY, "zz-9")).code())
        .isEqualTo("InvalidSignatureException");
  }

  @Test
  void anUnsignedPayloadIsRefusedAsAMismatch() {
    SignedRequest unsigned = SdkSigning.signWithoutPayload(describeClusters(), BODY);
    assertThat(SdkSigning.header(unsigned, "x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");

    AwsException error = rejection(verifier, unsigned);

    assertThat(error.code()).isEqualTo("InvalidSignatureException");
    assertThat(error.getMessage()).isEqualTo(MISMATCH);
  }

  @Test
  void aBodySwappedAfterSigningWithUnsignedPayloadIsRefused() {
    SignedRequest unsigned = SdkSigning.signWithoutPayload(describeClusters(), BODY);
    SignedRequest swapped =
        new SignedRequest(
            unsigned.method(),
            unsigned.rawPath(),
            unsigned.rawQuery(),
            unsigned.headers(),
            "{\"cluster\":\"another\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(rejection(verifier, swapped).code()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void headersAloneOfASignedRequestPassTheCheckBeforeTheBody() {
    SignedRequest signed = SdkSigning.sign(describeClusters(), BODY);

    verifier.checkBeforeBody(withoutBody(signed));

    assertThat(verifier.verify(signed, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void theCheckBeforeTheBodyRefusesAStrangerAnUnknownRegionAndAStaleDate() {
    SignedRequest stranger =
        SdkSigning.sign(describeClusters(), BODY, "AKIAUNKNOWN", SdkSigning.SECRET, SERVICE);
    SignedRequest elsewhere = SdkSigning.signIn(describeClusters(), BODY, "zz-nowhere-9");
    SigV4Verifier later = SdkSigning.verifierAt(SIGNED_AT.plusSeconds(16 * 60));

    assertThat(checkBeforeBody(verifier, withoutBody(stranger)).code())
        .isEqualTo("UnrecognizedClientException");
    assertThat(checkBeforeBody(verifier, withoutBody(elsewhere)).code())
        .isEqualTo("InvalidSignatureException");
    assertThat(checkBeforeBody(later, withoutBody(SdkSigning.sign(describeClusters(), BODY))))
        .hasMessageStartingWith("Signature expired");
    assertThat(
            checkBeforeBody(
                    verifier, new SignedRequest("POST", "/", null, java.util.Map.of(), new byte[0]))
                .code())
        .isEqualTo("MissingAuthenticationTokenException");
  }

  private static software.amazon.awssdk.http.SdkHttpRequest describeClusters() {
    return SdkSigning.ecsJsonRequest("DescribeClusters");
  }

  private static SignedRequest withoutBody(SignedRequest request) {
    return new SignedRequest(
        request.method(), request.rawPath(), request.rawQuery(), request.headers(), null);
  }

  private static AwsException rejection(SigV4Verifier verifier, SignedRequest request) {
    return catchThrowableOfType(AwsException.class, () -> verifier.verify(request, SERVICE));
  }

  private static AwsException checkBeforeBody(SigV4Verifier verifier, SignedRequest request) {
    return catchThrowableOfType(AwsException.class, () -> verifier.checkBeforeBody(request));
  }
}
