package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.ApiSettings;
import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import dev.berth.server.api.ConnectionLimits;
import dev.berth.server.tls.ServerCertificate;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The API port in TLS: the AWS SDK talks HTTPS to it with a certificate it was told to trust. */
class TlsApiTest {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private Path dir;

  @BeforeEach
  void createDirectory() throws Exception {
    dir = Files.createTempDirectory("berth-tls-");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    TestServer.deleteRecursively(dir);
  }

  @Test
  void theSdkTalksHttpsToAServerWithAGivenCertificate() throws Exception {
    // A pair made elsewhere, then handed to the server as PEM files.
    ServerCertificate given = ServerCertificate.selfSigned(dir.resolve("ca"), List.of());
    Path certificate = given.certificateFile();
    Path key = certificate.resolveSibling("server.key");
    BerthServer server = start(dir.resolve("data"), new ApiSettings.Tls(certificate, key));

    assertThat(server.endpoint()).startsWith("https://127.0.0.1:");
    assertThat(server.certificate().fingerprint()).isEqualTo(given.fingerprint());
    EcsClient ecs = client(server, trusting(certificate));
    assertThat(ecs.listClusters().clusterArns()).hasSize(1);
    assertThat(ecs.createCluster(r -> r.clusterName("over-tls")).cluster().status())
        .isEqualTo("ACTIVE");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    BerthServer server = start(dir.resolve("data"), ApiSettings.Tls.selfSigned());
    EcsClient untrusting = client(server, null);

    assertThatThrownBy(untrusting::listClusters)
        .isInstanceOf(SdkClientException.class)
        .hasStackTraceContaining("PKIX");
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
    BerthServer server = start(dir.resolve("data"), ApiSettings.Tls.selfSigned());
    HttpClient http = HttpClient.newHttpClient();
    opened.add(http::close);
    URI plain = URI.create("http://127.0.0.1:" + server.address().getPort() + "/health");

    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aSelfSignedPairIsGeneratedOnceIntoTheDataDirectoryReadableByItsOwnerOnly() throws Exception {
    Path data = dir.resolve("data");
    BerthServer first = start(data, ApiSettings.Tls.selfSigned());
    String fingerprint = first.certificate().fingerprint();
    assertThat(first.certificate().generated()).isTrue();
    assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    first.close();
    opened.remove(first);

    BerthServer second = start(data, ApiSettings.Tls.selfSigned());

    assertThat(second.certificate().generated()).isFalse();
    assertThat(second.certificate().fingerprint()).isEqualTo(fingerprint);
    for (String file : List.of("server.crt", "server.key")) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("tls").resolve(file))))
          .isEqualTo("rw-------");
    }
    assertThat(
            client(second, trusting(data.resolve("tls/server.crt"))).listClusters().clusterArns())
        .hasSize(1);
  }

  private BerthServer start(Path data, ApiSettings.Tls tls) throws Exception {
    BerthServer server =
        BerthServer.start(
            ServerConfig.onLoopback(data, List.of("default"))
                .withApi(new ApiSettings(ConnectionLimits.defaults(), tls, List.of())));
    opened.add(server);
    return server;
  }

  private EcsClient client(BerthServer server, TrustManager[] trust) {
    UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
    if (trust != null) {
      http.tlsTrustManagersProvider(() -> trust);
    }
    EcsClient ecs =
        EcsClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())))
            .httpClient(http.build())
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build();
    opened.add(ecs);
    return ecs;
  }

  /** Returns trust managers that trust the PEM certificate given, checking host names too. */
  private static TrustManager[] trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry(
          "berth", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
