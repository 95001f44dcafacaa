package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** The benchmark's own SigV4 signer gives exactly the signatures of the AWS SDK's signer. */
class EcsRequestSignerTest {
  private static final String HOST = "127.0.0.1:8080";
  private static final String TARGET = "AmazonEC2ContainerServiceV20141113.RunTask";
  private static final byte[] BODY =
      "{\"cluster\":\"bench\",\"taskDefinition\":\"bench-placement\",\"count\":10}"
          .getBytes(StandardCharsets.UTF_8);
  private static final AwsCredentials KEY =
      AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:34:56Z"));

  @Test
  void signsACallAsTheSdkSignerDoes() {
    assertSignsAsTheSdkDoes(signer(KEY), BODY, KEY);
  }

  @Test
  void signsWithASessionTokenAsTheSdkSignerDoes() {
    AwsCredentials session =
        AwsSessionCredentials.create(KEY.accessKeyId(), KEY.secretAccessKey(), "token/with+chars=");
    EcsRequestSigner signer = signer(session);

    assertThat(signer.sign(TARGET, BODY).securityToken()).isEqualTo("token/with+chars=");
    assertSignsAsTheSdkDoes(signer, BODY, session);
  }

  @Test
  void keepsSigningAsTheSdkDoesAcrossSecondsAndDays() {
    EcsRequestSigner signer = signer(KEY);
    clock.now = Instant.parse("2026-03-01T23:59:59Z");
    assertSignsAsTheSdkDoes(signer, BODY, KEY);

    // The next day needs a new signing key; the next second a new date.
    clock.now = Instant.parse("2026-03-02T00:00:00Z");
    assertSignsAsTheSdkDoes(signer, BODY, KEY);
    clock.now = Instant.parse("2026-03-02T00:00:01Z");
    assertSignsAsTheSdkDoes(signer, "{}".getBytes(StandardCharsets.UTF_8), KEY);
  }

  private EcsRequestSigner signer(AwsCredentials credentials) {
    return new EcsRequestSigner(
        HOST, "us-east-1", "ecs", StaticCredentialsProvider.create(credentials), clock);
  }

  private void assertSignsAsTheSdkDoes(
      EcsRequestSigner signer, byte[] body, AwsCredentials credentials) {
    EcsRequestSigner.Signature signature = signer.sign(TARGET, body);
    SdkHttpRequest sdk = sdkSigned(credentials, body);
    assertThat(signature.authorization()).isEqualTo(sdk.firstMatchingHeader("Authorization").get());
    assertThat(signature.amzDate()).isEqualTo(sdk.firstMatchingHeader("X-Amz-Date").get());
    assertThat(signature.contentSha256())
        .isEqualTo(sdk.firstMatchingHeader("x-amz-content-sha256").get());
  }

  private SdkHttpRequest sdkSigned(AwsCredentials credentials, byte[] body) {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://" + HOST))
            .putHeader("Content-Type", EcsRequestSigner.CONTENT_TYPE)
            .putHeader("X-Amz-Target", TARGET)
            .build();
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(credentials)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(clock.now, ZoneOffset.UTC)))
        .request();
  }

  /** A clock that tells the time it is set to. */
  private static final class SettableClock extends Clock {
    Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
