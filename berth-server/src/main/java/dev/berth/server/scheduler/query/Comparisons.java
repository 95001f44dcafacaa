package dev.berth.server.scheduler.query;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles one {@code subject operator [argument]} into a {@link Condition}: the argument is parsed
 * and checked once, so that testing an instance only compares. Negated operators become the
 * negation of their positive twin, so an absent value fails {@code ==} and passes {@code !=}.
 */
final class Comparisons {
  private static final long DAY_MILLIS = 86_400_000L;

  private Comparisons() {}

  /** Returns the condition for a subject (with its attribute name, if any), operator and values. */
  static Condition compile(
      Subject subject, String attribute, Operator operator, List<Argument> arguments) {
    Condition positive = positive(subject, attribute, operator.positive(), arguments);
    return operator.negated() ? new Condition.Not(positive) : positive;
  }

  private static Condition positive(
      Subject subject, String attribute, Operator operator, List<Argument> arguments) {
    return switch (subject) {
      case AGENT_CONNECTED ->
          operator == Operator.MATCHES
              ? new Matches(i -> i.agentConnected() ? "true" : "false", pattern(arguments))
              : agentConnected(arguments);
      case AGENT_VERSION -> new AgentVersion(operator, version(arguments.get(0)));
      case ATTRIBUTE -> attribute(attribute, operator, arguments);
      case EC2_INSTANCE_ID -> strings(InstanceView::ec2InstanceId, operator, arguments);
      case REGISTERED_AT -> registeredAt(operator, arguments.get(0));
      case RUNNING_TASKS_COUNT -> new RunningTasks(operator, count(arguments.get(0)));
      case TASK_GROUP -> new TaskGroupIn(texts(arguments));
    };
  }

  private static Condition attribute(String name, Operator operator, List<Argument> arguments) {
    if (operator == Operator.EXISTS) {
      return new AttributeExists(name);
    }
    if (operator.ordering()) {
      String value = arguments.get(0).text();
      return new AttributeOrder(name, operator, value, isNumber(value));
    }
    return strings(instance -> instance.attribute(name), operator, arguments);
  }

  private static Condition strings(Value value, Operator operator, List<Argument> arguments) {
    return operator == Operator.MATCHES
        ? new Matches(value, pattern(arguments))
        : new StringIn(value, texts(arguments));
  }

  private static Condition agentConnected(List<Argument> arguments) {
    boolean acceptTrue = false;
    boolean acceptFalse = false;
    for (Argument argument : arguments) {
      if (argument.text().equalsIgnoreCase("true")) {
        acceptTrue = true;
      } else if (argument.text().equalsIgnoreCase("false")) {
        acceptFalse = true;
      } else {
        throw QueryErrors.at(
            argument.position(),
            "agentConnected takes true or false, not '" + argument.text() + "'.");
      }
    }
    return new AgentConnected(acceptTrue, acceptFalse);
  }

  private static Condition registeredAt(Operator operator, Argument argument) {
    String text = argument.text();
    try {
      if (text.length() == 10) {
        long day = LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        return new RegisteredAt(operator, day, DAY_MILLIS);
      }
      long at;
      try {
        at = OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeException noOffset) {
        at = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      return new RegisteredAt(operator, at, at % 1000 == 0 ? 1000 : 1);
    } catch (DateTimeException e) {
      throw QueryErrors.at(
          argument.position(),
          "registeredAt takes a date such as 2018-06-18, 2018-06-18T22:28:28,"
              + " 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00, not '"
              + text
              + "'.");
    }
  }

  private static int count(Argument argument) {
    String text = argument.text();
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      throw QueryErrors.at(
          argument.position(), "runningTasksCount takes a whole number, not '" + text + "'.");
    }
    return Integer.parseInt(text);
  }

  private static int[] version(Argument argument) {
    String text = argument.text();
    String[] parts = text.split("\\.", -1);
    int[] version = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty()
          || parts[i].length() > 9
          || !parts[i].chars().allMatch(Character::isDigit)) {
        throw QueryErrors.at(
            argument.position(),
            "agentVersion takes a version such as 1.14.5, not '" + text + "'.");
      }
      version[i] = Integer.parseInt(parts[i]);
    }
    return version;
  }

  private static ValuePattern pattern(List<Argument> arguments) {
    Argument argument = arguments.get(0);
    try {
      return ValuePattern.compile(argument.text());
    } catch (PatternSyntaxException e) {
      throw QueryErrors.at(
          argument.position(),
          "'"
              + argument.text()
              + "' is not a Java regular expression ("
              + ValuePattern.describe(e)
              + ").");
    }
  }

  private static String[] texts(List<Argument> arguments) {
    return arguments.stream().map(Argument::text).toArray(String[]::new);
  }

  /** Returns the comparison of a dotted version with a parsed one, or null if it has none. */
  static Integer compareVersions(String version, int[] target) {
    if (version == null || version.isEmpty()) {
      return null;
    }
    int i = version.charAt(0) == 'v' ? 1 : 0;
    if (i >= version.length() || !Character.isDigit(version.charAt(i))) {
      return null;
    }
    boolean more = true;
    for (int component = 0; more || component < target.length; component++) {
      long value = 0;
      if (more) {
        while (i < version.length() && Character.isDigit(version.charAt(i))) {
          value = Math.min(value * 10 + (version.charAt(i) - '0'), Integer.MAX_VALUE);
          i++;
        }
        // "1.14.5-dev" compares as 1.14.5: the version ends at the first other character.
        more =
            i + 1 < version.length()
                && version.charAt(i) == '.'
                && Character.isDigit(version.charAt(i + 1));
        i++;
      }
      long wanted = component < target.length ? target[component] : 0;
      if (value != wanted) {
        return value < wanted ? -1 : 1;
      }
    }
    return 0;
  }

  static boolean isNumber(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    int start = text.charAt(0) == '-' ? 1 : 0;
    boolean digits = false;
    boolean dot = false;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        digits = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digits && text.length() <= 30;
  }

  /** A string subject of an instance. */
  @FunctionalInterface
  interface Value {
    /** Returns the subject's value on an instance, or null if it has none. */
    String of(InstanceView instance);
  }

  /** {@code ==} (one value) and {@code in}: the value is one of the arguments. */
  record StringIn(Value value, String[] accepted) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      String actual = value.of(instance);
      if (actual != null) {
        for (String candidate : accepted) {
          if (candidate.equals(actual)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** {@code =~}: the whole value matches the pattern. */
  record Matches(Value value, ValuePattern pattern) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      return pattern.matches(value.of(instance));
    }
  }

  /** {@code exists}: the instance has the attribute, with or without a value. */
  record AttributeExists(String name) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      return instance.hasAttribute(name);
    }
  }

  /** Orders an attribute's value: as numbers if both are numbers, else as strings. */
  record AttributeOrder(String name, Operator operator, String argument, boolean numeric)
      implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      String actual = instance.attribute(name);
      if (actual == null) {
        return false;
      }
      int comparison =
          numeric && isNumber(actual)
              ? Double.compare(Double.parseDouble(actual), Double.parseDouble(argument))
              : actual.compareTo(argument);
      return operator.holds(comparison);
    }
  }

  /** {@code agentConnected == true|false} and {@code in}. */
  record AgentConnected(boolean acceptTrue, boolean acceptFalse) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      return instance.agentConnected() ? acceptTrue : acceptFalse;
    }
  }

  /** Compares the agent version component by component: 1.9.0 is below 1.14.5. */
  record AgentVersion(Operator operator, int[] version) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      Integer comparison = compareVersions(instance.agentVersion(), version);
      return comparison != null && operator.holds(comparison);
    }
  }

  /**
   * Compares the registration time at the argument's precision: against a date, the instance's
   * registration day; against a time, its registration second.
   */
  record RegisteredAt(Operator operator, long millis, long unit) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      long registered = Math.floorDiv(instance.registeredAtMillis(), unit) * unit;
      return operator.holds(Long.compare(registered, millis));
    }
  }

  /** Compares the count of RUNNING tasks. */
  record RunningTasks(Operator operator, int count) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      return operator.holds(Integer.compare(instance.runningTasksCount(), count));
    }
  }

  /** {@code task:group ==} and {@code in}: the instance hosts a task of one of the groups. */
  record TaskGroupIn(String[] groups) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      for (String group : groups) {
        if (instance.runsTaskOfGroup(group)) {
          return true;
        }
      }
      return false;
    }
  }
}
