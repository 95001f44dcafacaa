package dev.berth.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.agent.channel.ServerTrust;
import dev.berth.agent.identity.IdentityClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * How {@code berth keys} and {@code berth activation} reach a running server: its endpoint and an
 * admin key, from the server's data directory on this host or the usual AWS sources.
 */
final class ServerConnection {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "The Berth server (default: ${DEFAULT-VALUE}).",
      defaultValue = "http://127.0.0.1:4747")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The region to sign for and act in (default: ${DEFAULT-VALUE}).",
      defaultValue = "us-east-1")
  String region;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The server's data directory, whose credentials file holds an admin key (default:"
              + " ${DEFAULT-VALUE}, if it exists; else the usual AWS sources).",
      defaultValue = "${sys:user.home}/.berth")
  Path dataDir;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "The AWS profile whose credentials to use instead.")
  String profile;

  @Mixin ServerTrustOptions tls = new ServerTrustOptions();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Returns where the command prints its answer: picocli's out, the console unless redirected. */
  PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** Calls an operation of the server's identity service and returns its output. */
  JsonNode call(String operation, JsonNode input) {
    return new IdentityClient(endpoint, region, trust()).call(operation, input, credentials());
  }

  /**
   * Returns the trust asked for; else, on the server's own host, its self-signed certificate in the
   * data directory; else null (the JDK's trusted CAs).
   */
  private ServerTrust trust() {
    ServerTrust asked = tls.trust();
    Path own = dataDir.resolve("tls").resolve("server.crt");
    if (asked == null && "https".equalsIgnoreCase(endpoint.getScheme()) && Files.isReadable(own)) {
      return ServerTrust.caFile(own);
    }
    return asked;
  }

  private AwsCredentials credentials() {
    if (profile != null) {
      return ProfileCredentialsProvider.create(profile).resolveCredentials();
    }
    Path file = dataDir.resolve("credentials");
    if (Files.isReadable(file)) {
      return ProfileCredentialsProvider.builder()
          .profileFile(
              ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
          .profileName("berth")
          .build()
          .resolveCredentials();
    }
    return DefaultCredentialsProvider.create().resolveCredentials();
  }
}
