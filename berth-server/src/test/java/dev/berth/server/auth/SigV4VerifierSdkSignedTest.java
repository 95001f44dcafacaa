package dev.berth.server.auth;

import static dev.berth.server.auth.SdkSigning.ACCESS_KEY_ID;
import static dev.berth.server.auth.SdkSigning.REGION;
import static dev.berth.server.auth.SdkSigning.SERVICE;
import static dev.berth.server.auth.SdkSigning.SIGNED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests signed by the AWS SDK's own signer pass verification. */
class SigV4VerifierSdkSignedTest {
  private final SigV4Verifier verifier = SdkSigning.verifierAt(SIGNED_AT.plusSeconds(3));

  @Test
  void ecsJsonPostSignedBySdkIsVerifiedAsItsPrincipal() {
    SignedRequest request =
        SdkSigning.sign(SdkSigning.ecsJsonRequest("ListClusters"), "{\"maxResults\":10}");

    Principal principal = verifier.verify(request, SERVICE);

    assertThat(principal).isEqualTo(new Principal(ACCESS_KEY_ID, REGION, SERVICE));
  }

  @Test
  void postWithEmptyBodyIsVerified() {
    SignedRequest request = SdkSigning.sign(SdkSigning.ecsJsonRequest("ListClusters"), "");

    assertThat(verifier.verify(request, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void headerNamesInAnyCaseAreFound() {
    SignedRequest signed =
        SdkSigning.sign(SdkSigning.ecsJsonRequest("DescribeClusters"), "{\"clusters\":[]}");
    SignedRequest shouted = signed;
    for (String name : List.copyOf(signed.headers().keySet())) {
      shouted = SdkSigning.withHeader(shouted, name.toUpperCase(), SdkSigning.header(signed, name));
    }

    assertThat(verifier.verify(shouted, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void unicodeBodyIsHashedAsUtf8Bytes() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("CreateCluster"), "{\"clusterName\":\"kaffee-☕-été\"}");

    assertThat(verifier.verify(request, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/clusters/default",
        "/with%20space/and+plus",
        "/unicode/%E2%98%95/%F0%9F%90%B3",
        "/a/./b/../c",
        "/trailing/slash/",
        "/dot/at/end/.",
        "/deep/er/../../to-root",
        "/percent%2Fslash/%25literal",
        "/reserved/!$&'()*,;=:@"
      })
  void getWithTrickyPathSignedBySdkIsVerified(String encodedPath) {
    SignedRequest request = SdkSigning.sign(SdkSigning.get(encodedPath).build(), "");

    assertThat(verifier.verify(request, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void getWithTrickyQueryStringSignedBySdkIsVerified() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.get("/")
                .putRawQueryParameter("b", List.of("2", "1", "10"))
                .putRawQueryParameter("a", "x y+z")
                .putRawQueryParameter("A", "upper")
                .putRawQueryParameter("a-b", "dash")
                .putRawQueryParameter("empty", "")
                .putRawQueryParameter("slash/and=equals", "a/b=c&d")
                .putRawQueryParameter("☕", "été~-._*")
                .build(),
            "");

    assertThat(verifier.verify(request, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void signedUnsignedPayloadHeaderSkipsTheBodyHash() {
    SignedRequest request =
        SdkSigning.sign(
            SdkSigning.ecsJsonRequest("ListClusters").toBuilder()
                .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                .build(),
            "{}");

    assertThat(verifier.verify(request, SERVICE).accessKeyId()).isEqualTo(ACCESS_KEY_ID);
  }

  @Test
  void presignedUrlIsVerifiedWithinItsExpiry() {
    SignedRequest request =
        SdkSigning.presign(
            SdkSigning.get("/").putRawQueryParameter("Action", "ListClusters").build(),
            Duration.ofMinutes(60));

    Principal principal =
        SdkSigning.verifierAt(SIGNED_AT.plus(Duration.ofMinutes(59))).verify(request, SERVICE);

    assertThat(principal).isEqualTo(new Principal(ACCESS_KEY_ID, REGION, SERVICE));
  }

  @Test
  void verifierServesManyThreadsAtOnce() throws Exception {
    List<SignedRequest> requests =
        IntStream.range(0, 16)
            .mapToObj(
                i ->
                    SdkSigning.sign(
                        SdkSigning.ecsJsonRequest("DescribeClusters"),
                        "{\"clusters\":[\"c" + i + "\"]}"))
            .toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Principal>> results =
          IntStream.range(0, 2_000)
              .mapToObj(i -> pool.submit(() -> verifier.verify(requests.get(i % 16), SERVICE)))
              .toList();
      for (Future<Principal> result : results) {
        assertThat(result.get().accessKeyId()).isEqualTo(ACCESS_KEY_ID);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
