package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The benchmark's own ECS calls, against a real server that verifies their signatures. */
class SignedEcsCallerTest {
  private static final SignedEcsCaller.AnswerReader<JsonNode> TREE = Json.MAPPER::readTree;

  @TempDir Path dataDir;
  private BerthServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = BerthServer.start(ServerConfig.onLoopback(dataDir, List.of()));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void callsOneAfterAnotherOnAConnectionAreAnswered() throws Exception {
    try (SignedEcsCaller caller = caller(server.accessKey().secretAccessKey())) {
      SignedEcsCaller.Connection connection = caller.connect();

      JsonNode created =
          answer(connection.call("CreateCluster", json("{\"clusterName\":\"one\"}"), TREE));
      JsonNode listed = answer(connection.call("ListClusters", json("{}"), TREE));

      assertThat(created.path("cluster").path("clusterName").asText()).isEqualTo("one");
      assertThat(listed.path("clusterArns").toString()).contains("cluster/one");
    }
  }

  @Test
  void anErrorAnswerFailsTheCallWithItsStatusAndBody() throws Exception {
    try (SignedEcsCaller caller = caller(server.accessKey().secretAccessKey())) {
      SignedEcsCaller.Connection connection = caller.connect();

      assertThatThrownBy(
              () ->
                  answer(
                      connection.call(
                          "RunTask",
                          json("{\"cluster\":\"missing\",\"taskDefinition\":\"x\"}"),
                          RunTaskAnswer::read)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("RunTask answered 400: ")
          .hasMessageContaining("ClusterNotFoundException");
    }
  }

  @Test
  void aCallSignedWithTheWrongSecretIsRefusedByTheServer() throws Exception {
    try (SignedEcsCaller caller = caller("not-" + server.accessKey().secretAccessKey())) {
      SignedEcsCaller.Connection connection = caller.connect();

      assertThatThrownBy(() -> answer(connection.call("ListClusters", json("{}"), TREE)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("ListClusters answered 4")
          .hasMessageContaining("InvalidSignatureException");
    }
  }

  private SignedEcsCaller caller(String secret) {
    return new SignedEcsCaller(
        URI.create(server.endpoint()),
        ServerConfig.DEFAULT_REGION,
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey().accessKeyId(), secret)));
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the call's answer, or throws what failed it. */
  private static <T> T answer(java.util.concurrent.CompletableFuture<T> call) throws Exception {
    try {
      return call.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
