package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.Json;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.ecs.EcsLimits;
import dev.berth.server.ecs.EcsService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every string member of every input shape of the ECS operations Berth serves (the others refuse
 * every request unread), at any depth, sent one character longer than ECS takes (the model's limit,
 * ECS's documented one, or Berth's 64 KiB ceiling) through a real server as signed AWS JSON: each
 * is an InvalidParameterException naming the member and its limit, and nothing reaches the store.
 */
class OverLongMemberTest {
  private static final ServiceModel MODEL = EcsService.MODEL;
  private static final int MAX_DEPTH = 8;

  private static TestServer berth;
  private static CountingStore store;
  private static RawClient raw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("berth-limits-");
    UnaryOperator<dev.berth.store.Store> counting =
        delegate -> {
          store = new CountingStore(delegate);
          return store;
        };
    berth = TestServer.start(dir, counting);
    raw = new RawClient(berth.endpoint());
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  /** A string member reached from an operation's input: the JSON to reach it and its limit. */
  private record Case(String operation, String path, ObjectNode body, int limit) {}

  @Test
  void everyLimitBerthAddsNamesAMemberOfTheModel() {
    Set<String> keys = new HashSet<>(EcsLimits.LIMITS.lengths().keySet());
    keys.addAll(EcsLimits.LIMITS.counts().keySet());
    for (String key : keys) {
      String[] parts = key.split("\\.");
      assertThat(MODEL.shape(parts[0]).path("members").has(parts[1])).as(key).isTrue();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyOverLongStringIsRefusedAndChangesNothing() {
    List<Case> cases = new ArrayList<>();
    Set<String> implemented = berth.ecsService().implementedOperations();
    for (ServiceModel.Operation operation : MODEL.operations().values()) {
      if (operation.inputShape() != null && implemented.contains(operation.name())) {
        walk(operation.name(), operation.inputShape(), List.of(), cases, Set.of());
      }
    }
    assertThat(cases).hasSizeGreaterThan(300);
    return cases.stream()
        .map(
            each ->
                DynamicTest.dynamicTest(each.operation() + " " + each.path(), () -> send(each)));
  }

  private static void send(Case each) {
    int before = store.mutations();
    RawClient.Answer answer =
        raw.signed(
            each.operation(),
            each.body().toString(),
            berth.server().accessKey().accessKeyId(),
            berth.server().accessKey().secretAccessKey(),
            "us-east-1",
            "ecs",
            Clock.systemUTC());
    String shown = each.path() + " -> " + answer.status() + " " + abbreviated(answer.body());
    assertThat(answer.status()).as(shown).isEqualTo(400);
    assertThat(answer.errorType()).as(shown).isEqualTo("InvalidParameterException");
    assertThat(answer.json().path("message").asText())
        .as(shown)
        .contains("at '" + each.path() + "'")
        .endsWith("Member must have length less than or equal to " + each.limit());
    assertThat(store.mutations()).as("mutations after " + shown).isEqualTo(before);
  }

  /** Adds a case for each string below a structure, with the members that lead to it. */
  private static void walk(
      String operation, String shapeName, List<Step> steps, List<Case> cases, Set<String> seen) {
    if (steps.size() > MAX_DEPTH || seen.contains(shapeName)) {
      return;
    }
    Set<String> seenHere = new HashSet<>(seen);
    seenHere.add(shapeName);
    MODEL
        .shape(shapeName)
        .path("members")
        .properties()
        .forEach(
            member -> {
              String memberShape = member.getValue().path("shape").asText();
              Step step = new Step(shapeName, member.getKey(), null);
              descend(operation, memberShape, append(steps, step), cases, seenHere);
            });
  }

  private static void descend(
      String operation, String shapeName, List<Step> steps, List<Case> cases, Set<String> seen) {
    JsonNode shape = MODEL.shape(shapeName);
    Step last = steps.get(steps.size() - 1);
    switch (shape.path("type").asText()) {
      case "structure" -> walk(operation, shapeName, steps, cases, seen);
      case "list" ->
          descend(
              operation,
              shape.path("member").path("shape").asText(),
              append(steps, new Step(last.structure(), last.member(), "[0]")),
              cases,
              seen);
      case "map" ->
          descend(
              operation,
              shape.path("value").path("shape").asText(),
              append(steps, new Step(last.structure(), last.member(), ".berthkey")),
              cases,
              seen);
      case "string" -> cases.add(overLong(operation, shape, steps));
      default -> {}
    }
  }

  /** A member on the way to a string: its structure, its name, and an element or key below it. */
  private record Step(String structure, String member, String below) {}

  private static List<Step> append(List<Step> steps, Step step) {
    List<Step> longer = new ArrayList<>(steps);
    longer.add(step);
    return longer;
  }

  private static Case overLong(String operation, JsonNode shape, List<Step> steps) {
    Step owner = steps.stream().filter(step -> step.below() == null).reduce((a, b) -> b).get();
    String key = owner.structure() + "." + owner.member();
    Integer documented = EcsLimits.LIMITS.lengths().get(key);
    int limit =
        shape.has("max")
            ? shape.get("max").asInt()
            : documented != null ? documented : EcsLimits.CEILING;
    TextNode value = TextNode.valueOf("a".repeat(limit + 1));
    StringBuilder path = new StringBuilder();
    ObjectNode body = Json.object();
    JsonNode container = body;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean lastStep = i == steps.size() - 1;
      if (step.below() == null) {
        path.append(path.isEmpty() ? "" : ".").append(step.member());
        if (lastStep) {
          ((ObjectNode) container).set(step.member(), value);
        } else if (steps.get(i + 1).below() == null) {
          container = ((ObjectNode) container).putObject(step.member());
        } else {
          container = placeBelow((ObjectNode) container, step.member(), steps.get(i + 1));
        }
      } else {
        path.append(step.below());
        if (lastStep) {
          setBelow(container, step, value);
        } else if (steps.get(i + 1).below() == null) {
          container = objectBelow(container, step);
        } else {
          throw new IllegalStateException("a list of lists: " + steps);
        }
      }
    }
    return new Case(operation, path.toString(), body, limit);
  }

  private static JsonNode placeBelow(ObjectNode container, String member, Step next) {
    return next.below().equals("[0]") ? container.putArray(member) : container.putObject(member);
  }

  private static void setBelow(JsonNode container, Step step, JsonNode value) {
    if (step.below().equals("[0]")) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) container).add(value);
    } else {
      ((ObjectNode) container).set("berthkey", value);
    }
  }

  private static JsonNode objectBelow(JsonNode container, Step step) {
    if (step.below().equals("[0]")) {
      return ((com.fasterxml.jackson.databind.node.ArrayNode) container).addObject();
    }
    return ((ObjectNode) container).putObject("berthkey");
  }

  private static String abbreviated(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }
}
