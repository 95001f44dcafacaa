package dev.berth.agent.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.channel.ServerTrust;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * A client of Berth's identity service (target prefix {@code BerthIdentity}, signing name {@code
 * berth}): SigV4-signed AWS JSON 1.1 calls, for the agent's activation and key rotation and for the
 * {@code berth keys} and {@code berth activation} commands.
 */
public final class IdentityClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI endpoint;
  private final String region;
  private final HttpClient http;

  /** Creates a client of the server at the endpoint, signing for the region given. */
  public IdentityClient(URI endpoint, String region) {
    this(endpoint, region, null);
  }

  /**
   * Creates a client of the server at the endpoint, signing for the region given, that verifies an
   * https endpoint with the trust given (the JDK's default trust when it is null).
   */
  public IdentityClient(URI endpoint, String region, ServerTrust trust) {
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1);
    if (trust != null) {
      builder.sslContext(trust.sslContext());
    }
    this.http = builder.build();
  }

  /** An error the service answered: its AWS exception name and message. */
  public static final class IdentityException extends RuntimeException {
    private final String code;

    IdentityException(String code, String message) {
      super(code + ": " + message);
      this.code = code;
    }

    /** Returns the AWS exception name, e.g. AccessDeniedException. */
    public String code() {
      return code;
    }
  }

  /** Calls an operation with the input given, signed with the credentials; returns its output. */
  public JsonNode call(String operation, JsonNode input, AwsCredentials credentials) {
    byte[] body = input.toString().getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + "/");
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(uri)
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "BerthIdentity." + operation)
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "berth")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
            .request();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .headers()
        .forEach(
            (name, values) -> {
              // The HTTP client sets these itself and refuses them from callers.
              if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
              }
            });
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode output =
          response.body().length == 0 ? Json.object() : Json.MAPPER.readTree(response.body());
      if (response.statusCode() != 200) {
        String type = output.path("__type").asText("HTTP " + response.statusCode());
        throw new IdentityException(
            type.substring(type.indexOf('#') + 1), output.path("message").asText(""));
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + endpoint, e);
    }
  }
}
