package dev.berth.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth keys}: the server's access keys, created, listed, disabled and deleted. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Creates, lists, disables, enables and deletes the server's access keys.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Disable.class,
      KeysCommand.Enable.class,
      KeysCommand.Delete.class
    })
final class KeysCommand {
  /** {@code berth keys create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates a key and prints it as a shared-credentials profile: admin keys may call"
              + " everything, read-only keys Describe*, List* and Get* only.")
  static final class Create implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Option(
        names = "--scope",
        paramLabel = "SCOPE",
        description = "admin or read-only (default: ${DEFAULT-VALUE}).",
        defaultValue = "admin")
    String scope;

    @Override
    public Integer call() {
      JsonNode key =
          server.call("CreateAccessKey", Json.object().put("Scope", scope)).path("AccessKey");
      server.out().println("[berth-" + scope + "]");
      server.out().println("aws_access_key_id = " + key.path("AccessKeyId").asText());
      server.out().println("aws_secret_access_key = " + key.path("SecretAccessKey").asText());
      return 0;
    }
  }

  /** {@code berth keys list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the keys: id, status, scope, creation time and container instance.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Override
    public Integer call() {
      server
          .out()
          .printf(
              "%-20s  %-8s  %-9s  %-24s  %s%n",
              "ACCESS KEY ID", "STATUS", "SCOPE", "CREATED", "CONTAINER INSTANCE");
      for (JsonNode key : server.call("ListAccessKeys", Json.object()).path("AccessKeyMetadata")) {
        server
            .out()
            .printf(
                "%-20s  %-8s  %-9s  %-24s  %s%n",
                key.path("AccessKeyId").asText(),
                key.path("Status").asText(),
                key.path("Scope").asText(),
                Instant.ofEpochMilli(
                    key.path("CreateDate").decimalValue().movePointRight(3).longValue()),
                key.path("ContainerInstanceArn").asText("-"));
      }
      return 0;
    }
  }

  /** {@code berth keys disable ID}. */
  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disables a key (IAM's Inactive): it stops working at once.")
  static final class Disable implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Parameters(paramLabel = "ACCESS_KEY_ID")
    String accessKeyId;

    @Override
    public Integer call() {
      server.call(
          "UpdateAccessKey",
          Json.object().put("AccessKeyId", accessKeyId).put("Status", "Inactive"));
      server.out().println("Disabled " + accessKeyId);
      return 0;
    }
  }

  /** {@code berth keys enable ID}. */
  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enables a disabled key again.")
  static final class Enable implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Parameters(paramLabel = "ACCESS_KEY_ID")
    String accessKeyId;

    @Override
    public Integer call() {
      server.call(
          "UpdateAccessKey", Json.object().put("AccessKeyId", accessKeyId).put("Status", "Active"));
      server.out().println("Enabled " + accessKeyId);
      return 0;
    }
  }

  /** {@code berth keys delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a key for good.")
  static final class Delete implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Parameters(paramLabel = "ACCESS_KEY_ID")
    String accessKeyId;

    @Override
    public Integer call() {
      server.call("DeleteAccessKey", Json.object().put("AccessKeyId", accessKeyId));
      server.out().println("Deleted " + accessKeyId);
      return 0;
    }
  }
}
