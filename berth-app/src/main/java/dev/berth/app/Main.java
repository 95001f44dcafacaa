package dev.berth.app;

import dev.berth.server.ListenException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code berth} command: local mode, the server, the agent, and the benchmarks when berth-bench
 * is on the class path.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A self-hosted container service with the model and the wire API of Amazon ECS.",
    subcommands = {
      LocalCommand.class,
      ServerCommand.class,
      AgentCommand.class,
      KeysCommand.class,
      ActivationCommand.class,
    })
public final class Main {
  private static final String BENCH_COMMAND = "dev.berth.bench.BenchCommand";

  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    CommandLine commandLine = commandLine();
    // Bad settings and busy ports are the user's to fix: say what is wrong, not a stack trace.
    commandLine.setExecutionExceptionHandler(
        (error, line, parsed) -> {
          line.getErr().println("berth: " + describe(error));
          return 1;
        });
    System.exit(commandLine.execute(args));
  }

  /** Returns the command line with every subcommand, bench's real one if its jar is present. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.addSubcommand("bench", benchCommand());
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    return commandLine;
  }

  /**
   * Returns berth-bench's command if berth-bench.jar is on the class path (bin/berth puts it there
   * for bench only), else one that says how to get it; the product jar leaves the benchmarks out.
   */
  private static Object benchCommand() {
    try {
      return Class.forName(BENCH_COMMAND).getConstructor().newInstance();
    } catch (ClassNotFoundException absent) {
      return new BenchAbsent();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + BENCH_COMMAND, e);
    }
  }

  /** Returns what went wrong in one line: the error's message and its causes'. */
  static String describe(Throwable error) {
    if (error instanceof ListenException listen) {
      return listen.getMessage() + " (is another Berth running there? " + remedy(listen) + ")";
    }
    if (error instanceof java.net.BindException) {
      return "cannot listen: " + error.getMessage() + " (is another Berth running on that port?)";
    }
    // The causes say why: "could not open store F" alone does not say the schema is too new.
    StringBuilder described = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      if (described.indexOf(message) < 0) {
        described.append(described.isEmpty() ? "" : ": ").append(message);
      }
    }
    return described.toString();
  }

  /** Returns which flag moves the port that could not be bound. */
  private static String remedy(ListenException error) {
    return switch (error.purpose()) {
      case API -> "choose another port with --port N; berth server also takes --bind ADDRESS";
      case DNS_UDP, DNS_TCP ->
          "choose another port with --dns-port N (default: --port + "
              + ServerOptions.DNS_PORT_OFFSET
              + ") or --dns-bind ADDRESS, or turn DNS off with --dns-port 0";
    };
  }

  /** Prints Berth's version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (version == null ? "development" : version)};
    }
  }

  /** {@code berth bench} where berth-bench.jar is not on the class path: says how to run it. */
  @Command(
      name = "bench",
      description =
          "Runs Berth's benchmarks (api, start, placement, services, dns, lb); bin/berth bench"
              + " builds berth-bench.jar and runs them.",
      mixinStandardHelpOptions = true)
  static final class BenchAbsent implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Unmatched java.util.List<String> args;

    @Override
    public Integer call() {
      System.err.println(
          "berth: the benchmarks are in berth-bench.jar, not in berth.jar: run them with"
              + " bin/berth bench ..., which builds it and puts it on the class path");
      return 2;
    }
  }
}
