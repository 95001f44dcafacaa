package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** The front door's protocol and SigV4 behaviour, seen from real HTTP clients. */
class FrontDoorTest {
  private static TestServer berth;
  private static RawClient raw;
  private static String keyId;
  private static String secret;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    raw = new RawClient(berth.endpoint());
    keyId = berth.server().accessKey().accessKeyId();
    secret = berth.server().accessKey().secretAccessKey();
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  private static RawClient.Answer signed(String operation, String body) {
    return raw.signed(operation, body, keyId, secret, "us-east-1", "ecs", Clock.systemUTC());
  }

  @Test
  void aSignedRequestSucceedsWithTheJsonContentTypeAndARequestId() {
    RawClient.Answer answer = signed("ListClusters", "{}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).containsExactly("application/x-amz-json-1.1");
    assertThat(answer.headers()).containsKey("x-amzn-requestid");
    assertThat(answer.json().path("clusterArns").isArray()).isTrue();
  }

  @Test
  void aRequestWithoutAuthenticationIsMissingAuthenticationToken() {
    RawClient.Answer answer =
        raw.unsigned(
            "POST",
            "{}",
            Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"));
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.errorType()).isEqualTo("MissingAuthenticationTokenException");
  }

  @Test
  void aWrongSecretIsAnInvalidSignature() {
    try (EcsClient wrong = client(keyId, secret.substring(1) + "x")) {
      assertThatThrownBy(wrong::listClusters)
          .isInstanceOf(EcsException.class)
          .satisfies(
              e -> {
                EcsException error = (EcsException) e;
                assertThat(error.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidSignatureException");
                assertThat(error.statusCode()).isEqualTo(400);
              });
    }
  }

  @Test
  void anUnknownAccessKeyIsAnUnrecognizedClient() {
    try (EcsClient unknown = client("AKIAUNKNOWNUNKNOWN00", secret)) {
      assertThatThrownBy(unknown::listClusters)
          .isInstanceOf(EcsException.class)
          .satisfies(
              e ->
                  assertThat(((EcsException) e).awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void aSignatureOlderThanFifteenMinutesHasExpired() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
    RawClient.Answer answer =
        raw.signed("ListClusters", "{}", keyId, secret, "us-east-1", "ecs", past);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
    assertThat(answer.json().path("message").asText()).contains("Signature expired");
  }

  @Test
  void aSignatureScopedToAnotherServiceIsRefused() {
    RawClient.Answer answer =
        raw.signed("ListClusters", "{}", keyId, secret, "us-east-1", "s3", Clock.systemUTC());
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void malformedJsonIsASerializationException() {
    RawClient.Answer answer = signed("ListClusters", "{\"maxResults\": ");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("SerializationException");
  }

  @Test
  void aMemberOfTheWrongTypeIsASerializationException() {
    RawClient.Answer answer = signed("ListClusters", "{\"maxResults\": \"ten\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("SerializationException");
  }

  @Test
  void aMissingRequiredMemberIsAnInvalidParameter() {
    RawClient.Answer answer = signed("RegisterTaskDefinition", "{\"family\": \"web\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("InvalidParameterException");
    assertThat(answer.json().path("message").asText()).contains("containerDefinitions");
  }

  @Test
  void anUnknownOperationIsAnUnknownOperationException() {
    RawClient.Answer answer = signed("LaunchRockets", "{}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("UnknownOperationException");
  }

  @Test
  void aModelledOperationBerthDoesNotDoYetIsAnUnsupportedFeature() {
    RawClient.Answer answer = signed("GetTaskProtection", "{\"cluster\":\"c\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorType()).isEqualTo("UnsupportedFeatureException");
    assertThat(answer.json().path("message").asText()).contains("GetTaskProtection");
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeParsing() {
    String huge = "{\"family\": \"" + "x".repeat(2 << 20) + "\"}";
    RawClient.Answer answer =
        raw.unsigned(
            "POST",
            huge,
            Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition"),
            true);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.errorType()).isEqualTo("RequestEntityTooLargeException");
  }

  @Test
  void theRegionComesFromTheSignaturesScope() {
    RawClient.Answer answer =
        raw.signed(
            "CreateCluster",
            "{\"clusterName\":\"scoped\"}",
            keyId,
            secret,
            "ap-south-1",
            "ecs",
            Clock.systemUTC());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("cluster").path("clusterArn").asText())
        .isEqualTo("arn:aws:ecs:ap-south-1:000000000000:cluster/scoped");
  }

  private static EcsClient client(String accessKeyId, String secretKey) {
    return EcsClient.builder()
        .endpointOverride(berth.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
