package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.server.ApiSettings;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.api.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The API port's connection hygiene: stalled uploads and idle half-requests are closed or pushed
 * aside while signed SDK calls keep working, and bodies that are too large or come from strangers
 * are refused from their headers, before a byte of them is read.
 */
class ConnectionHygieneTest {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private Path dir;
  private BerthServer server;

  private BerthServer start(ConnectionLimits limits) throws Exception {
    dir = Files.createTempDirectory("berth-hygiene-");
    server =
        BerthServer.start(
            ServerConfig.onLoopback(dir, List.of("default"))
                .withApi(new ApiSettings(limits, null, List.of())));
    return server;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      TestServer.deleteRecursively(dir);
    }
  }

  @Test
  void aStalledUploadIsClosedAfterTheBodyTimeoutWhileSignedCallsKeepWorking() throws Exception {
    start(
        new ConnectionLimits(
            Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(30), 100));
    Socket upload = connect();
    // Headers that pass the check before the body (the server's key, today's scope), then part of
    // the body announced, and nothing more.
    send(upload, plausibleHeaders(1_000_000) + "{\"a\":\"" + "x".repeat(10_000));
    EcsClient ecs = signedClient();

    assertThat(ecs.listClusters().clusterArns()).hasSize(1);
    assertThat(awaitClosed(upload)).isTrue();
    assertThat(ecs.listClusters().clusterArns()).hasSize(1);
  }

  @Test
  void aHalfSentRequestHeaderIsClosedAfterTheHeaderTimeout() throws Exception {
    start(
        new ConnectionLimits(
            Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), 100));
    Socket half = connect();
    send(half, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar");

    assertThat(awaitClosed(half)).isTrue();
    assertThat(signedClient().listClusters().clusterArns()).hasSize(1);
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start(
        new ConnectionLimits(
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2), 100));
    Socket idle = connect();
    send(idle, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    byte[] answer = new byte[17];
    assertThat(idle.getInputStream().readNBytes(answer, 0, answer.length)).isEqualTo(17);
    assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK\r\n");

    assertThat(awaitClosed(idle)).isTrue();
  }

  @Test
  void manyIdleHalfRequestsDoNotLockOutSignedCalls() throws Exception {
    // A cap of 8 and timeouts far longer than the test: only the cap's eviction can make room.
    int cap = 8;
    start(
        new ConnectionLimits(
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), cap));
    List<Socket> halves = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Socket half = connect();
      send(half, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      halves.add(half);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() <= cap);

    for (int i = 0; i < 5; i++) {
      // A new client each time: a new connection that must find room.
      try (EcsClient ecs = signedClient()) {
        assertThat(ecs.listClusters().clusterArns()).hasSize(1);
      }
    }
    assertThat(server.openConnections()).isLessThanOrEqualTo(cap);
    long closed = halves.stream().filter(ConnectionHygieneTest::awaitClosedQuickly).count();
    assertThat(closed).isGreaterThanOrEqualTo(40 - cap);
  }

  @Test
  void anOverLargeBodyIsRefusedFromItsHeadersAlone() throws Exception {
    start(ConnectionLimits.defaults());
    Socket upload = connect();
    // 50 MB announced, not a byte of it sent: the answer can only come from the headers.
    send(upload, plausibleHeaders(50_000_000));

    String answer = readAll(upload);

    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(answer).contains("RequestEntityTooLargeException");
  }

  @Test
  void aStrangersBodyIsRefusedBeforeItIsRead() throws Exception {
    start(ConnectionLimits.defaults());
    Socket upload = connect();
    send(
        upload,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n"
            + "Content-Length: 500000\r\n\r\n");

    String answer = readAll(upload);

    assertThat(answer).startsWith("HTTP/1.1 403 ");
    assertThat(answer).contains("MissingAuthenticationTokenException");
  }

  @Test
  void aBodyScopedToARegionAwsDoesNotHaveIsRefusedBeforeItIsRead() throws Exception {
    start(ConnectionLimits.defaults());
    Socket upload = connect();
    send(upload, plausibleHeaders(500_000).replace("/us-east-1/", "/zz-nowhere-9/"));

    String answer = readAll(upload);

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(answer)
        .contains("InvalidSignatureException")
        .contains("Credential should be scoped to a valid region, not 'zz-nowhere-9'.");
  }

  /**
   * Returns the headers of an ECS request that announces {@code length} bytes of body and carries
   * an Authorization header that passes every check but the signature itself.
   */
  private String plausibleHeaders(long length) {
    Instant now = Instant.now();
    String date = AMZ_DATE.format(now);
    return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/x-amz-json-1.1\r\n"
        + "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n"
        + "X-Amz-Date: "
        + date
        + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential="
        + server.accessKey().accessKeyId()
        + "/"
        + date.substring(0, 8)
        + "/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature="
        + "0".repeat(64)
        + "\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private EcsClient signedClient() {
    EcsClient ecs =
        EcsClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)))
            .build();
    opened.add(ecs);
    return ecs;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
    opened.add(socket);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String readAll(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Returns true once the server has closed the socket, waiting up to 20 seconds. */
  private static boolean awaitClosed(Socket socket) throws IOException {
    socket.setSoTimeout(20_000);
    return endOfStream(socket);
  }

  private static boolean awaitClosedQuickly(Socket socket) {
    try {
      socket.setSoTimeout(2_000);
      return endOfStream(socket);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean endOfStream(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // An answer before the close is read past.
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
