package dev.berth.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends hand-made AWS JSON requests, signed with the AWS SDK's own SigV4 signer (or not at all), to
 * test what the front door does with requests no well-behaved SDK would send.
 */
final class RawClient {
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect");

  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A response: status, headers and body parsed as JSON (null if not JSON). */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String errorType() {
      return json().path("__type").asText();
    }
  }

  RawClient(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** Sends an ECS operation signed with the key, secret, region and service given. */
  Answer signed(
      String operation,
      String body,
      String accessKeyId,
      String secret,
      String region,
      String service,
      Clock clock) {
    return signedTarget(
        "AmazonEC2ContainerServiceV20141113." + operation,
        body,
        accessKeyId,
        secret,
        region,
        service,
        clock);
  }

  /** Sends an AWS JSON 1.1 call to the target given, signed with the key, region and service. */
  Answer signedTarget(
      String target,
      String body,
      String accessKeyId,
      String secret,
      String region,
      String service,
      Clock clock) {
    return signed(
        target, "application/x-amz-json-1.1", body, accessKeyId, secret, region, service, clock);
  }

  /** Sends an AWS JSON request of any service, signed with the key, region and service given. */
  Answer signed(
      String target,
      String contentType,
      String body,
      String accessKeyId,
      String secret,
      String region,
      String service,
      Clock clock) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Content-Type", contentType)
            .putHeader("X-Amz-Target", target)
            .build();
    var signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(value -> builder.header(name, value));
              }
            });
    return send(builder.build());
  }

  /** Sends a request with the headers given and no signature. */
  Answer unsigned(String method, String body, Map<String, String> headers) {
    return unsigned(method, body, headers, false);
  }

  /** Sends a request with the headers given and no signature, waiting for 100-continue if asked. */
  Answer unsigned(String method, String body, Map<String, String> headers, boolean expectContinue) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .expectContinue(expectContinue)
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return send(builder.build());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
