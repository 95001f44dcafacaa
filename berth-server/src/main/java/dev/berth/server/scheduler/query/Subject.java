package dev.berth.server.scheduler.query;

import static dev.berth.server.scheduler.query.Operator.EQUALS;
import static dev.berth.server.scheduler.query.Operator.GREATER_THAN;
import static dev.berth.server.scheduler.query.Operator.GREATER_THAN_EQUAL;
import static dev.berth.server.scheduler.query.Operator.IN;
import static dev.berth.server.scheduler.query.Operator.LESS_THAN;
import static dev.berth.server.scheduler.query.Operator.LESS_THAN_EQUAL;
import static dev.berth.server.scheduler.query.Operator.MATCHES;
import static dev.berth.server.scheduler.query.Operator.NOT_EQUALS;
import static dev.berth.server.scheduler.query.Operator.NOT_IN;
import static dev.berth.server.scheduler.query.Operator.NOT_MATCHES;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The subjects of ECS's cluster query language and the operators ECS documents for each. */
enum Subject {
  AGENT_CONNECTED("agentConnected", EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES),
  AGENT_VERSION(
      "agentVersion",
      EQUALS,
      NOT_EQUALS,
      GREATER_THAN,
      GREATER_THAN_EQUAL,
      LESS_THAN,
      LESS_THAN_EQUAL),
  // ECS lists no operators for attributes: every one applies.
  ATTRIBUTE("attribute:", Operator.values()),
  EC2_INSTANCE_ID("ec2InstanceId", EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES),
  REGISTERED_AT(
      "registeredAt",
      EQUALS,
      NOT_EQUALS,
      GREATER_THAN,
      GREATER_THAN_EQUAL,
      LESS_THAN,
      LESS_THAN_EQUAL),
  RUNNING_TASKS_COUNT(
      "runningTasksCount",
      EQUALS,
      NOT_EQUALS,
      GREATER_THAN,
      GREATER_THAN_EQUAL,
      LESS_THAN,
      LESS_THAN_EQUAL),
  // An instance hosts many groups and InstanceView can only ask about one by name, so patterns
  // cannot be evaluated; ECS lists no operators for task:group, its examples use == and not.
  TASK_GROUP("task:group", EQUALS, NOT_EQUALS, IN, NOT_IN);

  /** The subjects as they are written, for messages. */
  static final String NAMES =
      "agentConnected, agentVersion, attribute:NAME, ec2InstanceId, registeredAt,"
          + " runningTasksCount or task:group";

  final String name;
  private final Set<Operator> operators;

  Subject(String name, Operator first, Operator... rest) {
    this.name = name;
    this.operators = EnumSet.of(first, rest);
  }

  Subject(String name, Operator[] all) {
    this.name = name;
    this.operators = EnumSet.of(all[0], all);
  }

  /** Returns the subject named exactly so, or null; attributes are matched by their prefix. */
  static Subject named(String word) {
    if (word.startsWith(ATTRIBUTE.name)) {
      return ATTRIBUTE;
    }
    for (Subject subject : values()) {
      if (subject != ATTRIBUTE && subject.name.equals(word)) {
        return subject;
      }
    }
    return null;
  }

  /** Returns true if ECS lets this subject take the operator. */
  boolean takes(Operator operator) {
    return operators.contains(operator);
  }

  /** Returns the operators this subject takes, as written in messages. */
  String operatorList() {
    return operators.stream().map(Operator::display).collect(Collectors.joining(", "));
  }
}
