package dev.berth.server.it;

import dev.berth.server.BerthServer;
import dev.berth.server.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A Berth server for the CloudWatch Logs tests and a CloudWatchLogsClient pointed at it. Its
 * request bodies may reach 4 MiB: a PutLogEvents batch at CloudWatch Logs' 1,048,576-byte limit
 * takes more than that in JSON, and the batch rules, not the port's body limit, are what these
 * tests check.
 */
final class LogsServer implements AutoCloseable {
  static final int MAX_BODY_BYTES = 4 << 20;

  private final BerthServer server;
  private final CloudWatchLogsClient logs;

  private LogsServer(BerthServer server) {
    this.server = server;
    this.logs =
        CloudWatchLogsClient.builder()
            .endpointOverride(java.net.URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        server.accessKey().accessKeyId(), server.accessKey().secretAccessKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** Starts a server over the data directory, with no default cluster. */
  static LogsServer start(Path dataDir) throws InterruptedException {
    return new LogsServer(
        BerthServer.start(
            new ServerConfig(
                dataDir,
                "127.0.0.1",
                0,
                ServerConfig.DEFAULT_ACCOUNT,
                ServerConfig.DEFAULT_REGION,
                List.of(),
                MAX_BODY_BYTES,
                Clock.systemUTC())));
  }

  /** Returns the client, for us-east-1. */
  CloudWatchLogsClient logs() {
    return logs;
  }

  /** Returns the server. */
  BerthServer server() {
    return server;
  }

  /** Stops the client and the server; the data directory stays. */
  @Override
  public void close() {
    logs.close();
    server.close();
  }
}
