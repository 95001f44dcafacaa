package dev.berth.app.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell examples of the README as a reader sees them: every {@code $ } command of its {@code
 * console} blocks, in order, with the output the README shows under it. A command goes on over the
 * indented lines that follow it; the other lines up to the next command are its output.
 */
final class ReadmeExamples {
  /** The variables the README sets once, which a test may give values of its own. */
  static final List<String> SETTINGS =
      List.of("BERTH_DIR", "BERTH_PORT", "BERTH_DNS_PORT", "LB_PORT");

  private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=(\\S+)");
  // What differs from run to run: task and instance ids, and dynamic host ports.
  private static final Pattern GENERATED =
      Pattern.compile("[0-9a-f]{32}|\\b(3[2-9]|[4-5][0-9]|60)[0-9]{3}\\b");

  /** One {@code $ } command and the output lines the README shows for it. */
  record Command(String text, List<String> output) {
    /** Returns whether the command runs in the background, as {@code bin/berth local &} does. */
    boolean background() {
      return text.endsWith("&");
    }

    /** Returns whether the README shows the command failing, with an AWS error. */
    boolean fails() {
      return output.stream().anyMatch(line -> line.startsWith("An error occurred ("));
    }

    /** Returns the settings the command assigns, by name, or an empty map when it does more. */
    Map<String, String> settings() {
      Map<String, String> settings = new java.util.LinkedHashMap<>();
      for (String word : text.split(" ")) {
        Matcher assignment = ASSIGNMENT.matcher(word);
        if (!assignment.matches() || !SETTINGS.contains(assignment.group(1))) {
          return Map.of();
        }
        settings.put(assignment.group(1), assignment.group(2));
      }
      return settings;
    }
  }

  private ReadmeExamples() {}

  /** Returns the commands of every console block of the Markdown text, in order. */
  static List<Command> parse(String markdown) {
    List<Command> commands = new ArrayList<>();
    boolean inConsole = false;
    StringBuilder text = null;
    List<String> output = null;
    for (String line : markdown.split("\n", -1)) {
      if (!inConsole) {
        inConsole = line.equals("```console");
        continue;
      }
      if (line.startsWith("```")) {
        inConsole = false;
      } else if (line.startsWith("$ ")) {
        if (text != null) {
          commands.add(new Command(text.toString(), List.copyOf(output)));
        }
        text = new StringBuilder(line.substring(2));
        output = new ArrayList<>();
        continue;
      } else if (text != null && output.isEmpty() && line.startsWith(" ")) {
        text.append('\n').append(line);
        continue;
      } else if (text != null) {
        if (!line.isBlank()) {
          output.add(line);
        }
        continue;
      }
      if (text != null) {
        commands.add(new Command(text.toString(), List.copyOf(output)));
        text = null;
      }
    }
    return commands;
  }

  /**
   * Returns the command with the settings it assigns replaced by the values given; other commands
   * are returned as they are.
   */
  static String withSettings(Command command, Map<String, String> values) {
    Map<String, String> settings = command.settings();
    if (settings.isEmpty()) {
      return command.text();
    }
    StringBuilder text = new StringBuilder();
    settings.forEach(
        (name, value) ->
            text.append(text.isEmpty() ? "" : " ")
                .append(name)
                .append('=')
                .append(values.getOrDefault(name, value)));
    return text.toString();
  }

  /**
   * Returns whether the actual lines are the expected ones, in any order (DNS answers and target
   * health come in any order), once whitespace runs are one space and blank lines are gone. In the
   * expected lines, the README's own values of the settings stand for the test's, and ids and
   * dynamic host ports match any others.
   */
  static boolean matches(List<String> expected, List<String> actual, Map<String, String> values) {
    List<String> remaining = new ArrayList<>();
    actual.stream()
        .map(ReadmeExamples::normalize)
        .filter(l -> !l.isEmpty())
        .forEach(remaining::add);
    if (remaining.size() != expected.size()) {
      return false;
    }
    for (String line : expected) {
      Pattern pattern = pattern(line, values);
      if (!remaining.removeIf(new FirstMatch(pattern))) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether every expected line is among the actual ones, for a background command. */
  static boolean contains(List<String> expected, List<String> actual, Map<String, String> values) {
    List<String> normalized = actual.stream().map(ReadmeExamples::normalize).toList();
    return expected.stream()
        .map(line -> pattern(line, values))
        .allMatch(pattern -> normalized.stream().anyMatch(l -> pattern.matcher(l).matches()));
  }

  private static Pattern pattern(String expectedLine, Map<String, String> values) {
    // Ids and host ports are found in the README's text, before the test's values (whose free
    // ports may look like host ports) are put in.
    String line = normalize(expectedLine);
    StringBuilder regex = new StringBuilder();
    Matcher generated = GENERATED.matcher(line);
    int at = 0;
    while (generated.find()) {
      regex.append(literal(line.substring(at, generated.start()), values));
      regex.append(generated.group().length() == 32 ? "[0-9a-f]{32}" : "[0-9]{4,5}");
      at = generated.end();
    }
    regex.append(literal(line.substring(at), values));
    return Pattern.compile(regex.toString());
  }

  private static String literal(String text, Map<String, String> values) {
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace(value.getKey(), value.getValue());
    }
    return Pattern.quote(text);
  }

  private static String normalize(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }

  /** Matches the first line its pattern matches, and no other, for a removeIf. */
  private static final class FirstMatch implements java.util.function.Predicate<String> {
    private final Pattern pattern;
    private boolean found;

    FirstMatch(Pattern pattern) {
      this.pattern = pattern;
    }

    @Override
    public boolean test(String line) {
      if (!found && pattern.matcher(line).matches()) {
        found = true;
        return true;
      }
      return false;
    }
  }
}
