package dev.berth.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth activation}: ECS Anywhere's activations, with which agents on other hosts join a
 * cluster and get keys of their own instead of an admin key.
 */
@Command(
    name = "activation",
    mixinStandardHelpOptions = true,
    description =
        "Creates, lists and deletes activations: an id and code with which berth agent joins a"
            + " cluster, as ECS Anywhere's, and gets its container instance's own key.",
    subcommands = {
      ActivationCommand.Create.class,
      ActivationCommand.ListActivations.class,
      ActivationCommand.Delete.class
    })
final class ActivationCommand {
  /** {@code berth activation create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates an activation and prints its id and code.")
  static final class Create implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Option(
        names = "--cluster",
        required = true,
        paramLabel = "NAME",
        description = "The cluster its instances join.")
    String cluster;

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description =
            "How long it may be used, e.g. 1h or 72h, at most 720h (default: ${DEFAULT-VALUE}).",
        defaultValue = "24h")
    String expires;

    @Option(
        names = "--uses",
        paramLabel = "N",
        description = "How many instances it may register, 1 to 1000 (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int uses;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Override
    public Integer call() {
      ObjectNode input = Json.object();
      input.put("Cluster", cluster);
      input.put("RegistrationLimit", uses);
      long expiresAt = System.currentTimeMillis() + Durations.parse(expires).toMillis();
      input.put("ExpirationDate", BigDecimal.valueOf(expiresAt).movePointLeft(3));
      if (description != null) {
        input.put("Description", description);
      }
      JsonNode output = server.call("CreateActivation", input);
      server.out().println("ActivationId: " + output.path("ActivationId").asText());
      server.out().println("ActivationCode: " + output.path("ActivationCode").asText());
      server
          .out()
          .println(
              "On each host: berth agent --cluster "
                  + cluster
                  + " --endpoint "
                  + server.endpoint
                  + " --activation-id "
                  + output.path("ActivationId").asText()
                  + " --activation-code "
                  + output.path("ActivationCode").asText());
      return 0;
    }
  }

  /** {@code berth activation list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the activations and how many instances each registered.")
  static final class ListActivations implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Override
    public Integer call() {
      server
          .out()
          .printf(
              "%-36s  %-20s  %-7s  %-24s  %s%n",
              "ACTIVATION ID", "CLUSTER", "USED", "EXPIRES", "EXPIRED");
      for (JsonNode activation :
          server.call("DescribeActivations", Json.object()).path("ActivationList")) {
        server
            .out()
            .printf(
                "%-36s  %-20s  %-7s  %-24s  %s%n",
                activation.path("ActivationId").asText(),
                activation.path("Cluster").asText(),
                activation.path("RegistrationsCount").asInt()
                    + "/"
                    + activation.path("RegistrationLimit").asInt(),
                Instant.ofEpochMilli(
                    activation.path("ExpirationDate").decimalValue().movePointRight(3).longValue()),
                activation.path("Expired").asBoolean());
      }
      return 0;
    }
  }

  /** {@code berth activation delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes an activation: it registers no more instances.")
  static final class Delete implements Callable<Integer> {
    @Mixin ServerConnection server = new ServerConnection();

    @Parameters(paramLabel = "ACTIVATION_ID")
    String activationId;

    @Override
    public Integer call() {
      server.call("DeleteActivation", Json.object().put("ActivationId", activationId));
      server.out().println("Deleted " + activationId);
      return 0;
    }
  }
}
