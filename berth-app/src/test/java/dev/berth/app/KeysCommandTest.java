package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** {@code berth keys} against a running server, with the admin key of its data directory. */
class KeysCommandTest {
  @TempDir Path dir;
  private BerthServer server;

  @BeforeEach
  void startServer() throws InterruptedException {
    server =
        BerthServer.start(
            new ServerConfig(
                dir,
                "127.0.0.1",
                0,
                ServerConfig.DEFAULT_ACCOUNT,
                ServerConfig.DEFAULT_REGION,
                List.of("default"),
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                Clock.systemUTC()));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aReadOnlyKeyIsCreatedListedDisabledAndDeleted() {
    String created = berth("keys", "create", "--scope", "read-only");
    assertThat(created).startsWith("[berth-read-only]\n");
    String id = value(created, "aws_access_key_id");
    String secret = value(created, "aws_secret_access_key");

    try (EcsClient reader = client(id, secret)) {
      assertThat(reader.listClusters().clusterArns()).hasSize(1);
      assertThatThrownBy(() -> reader.createCluster(r -> r.clusterName("nope")))
          .isInstanceOfSatisfying(
              EcsException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      assertThat(berth("keys", "list")).containsPattern(id + " +Active +read-only");

      assertThat(berth("keys", "disable", id)).isEqualTo("Disabled " + id + "\n");
      assertThat(berth("keys", "list")).containsPattern(id + " +Inactive +read-only");
      assertThatThrownBy(reader::listClusters)
          .isInstanceOfSatisfying(
              EcsException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
    berth("keys", "delete", id);
    assertThat(berth("keys", "list")).doesNotContain(id).contains(server.accessKey().accessKeyId());
  }

  private String berth(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(args));
    command.addAll(List.of("--endpoint", server.endpoint(), "--data-dir", dir.toString()));
    // The command's own out, not System.out, which other tests of this JVM print to meanwhile.
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(out);
    int status = Main.commandLine().setOut(writer).execute(command.toArray(String[]::new));
    writer.flush();
    String printed = out.toString();
    assertThat(status).as(printed).isZero();
    return printed;
  }

  private static String value(String text, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + " = (\\S+)$").matcher(text);
    assertThat(matcher.find()).as(text).isTrue();
    return matcher.group(1);
  }

  private EcsClient client(String id, String secret) {
    return EcsClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
