package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Calls an ECS operation the way the AWS SDK puts it on the wire (AWS JSON 1.1, SigV4 signed by the
 * SDK's own signer) without the SDK's client pipeline and model objects, whose cost per call would
 * otherwise rival the server's in a benchmark that runs both on one machine.
 */
final class SignedEcsCaller {
  private static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  private final HttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  SignedEcsCaller(
      HttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
    this.http = requireNonNull(http);
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
  }

  /**
   * Calls the operation with the JSON input; returns the response body, or throws with the status
   * and body if the server answered with an error.
   */
  JsonNode call(String operation, String input) throws IOException, InterruptedException {
    byte[] body = input.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Content-Type", CONTENT_TYPE)
            .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
            .build();
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .headers()
        .forEach(
            (name, values) -> {
              // The JDK's client sets Host and Content-Length itself and refuses them from callers.
              if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> request.header(name, value));
              }
            });
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          operation
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return Json.MAPPER.readTree(response.body());
  }
}
