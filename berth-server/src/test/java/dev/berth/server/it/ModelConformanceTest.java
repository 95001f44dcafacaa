package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.Json;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.ecs.EcsService;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.store.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation of the published ECS model, sent by hand as signed AWS JSON to a real server:
 * unimplemented operations say so, implemented ones check their input against the model as AWS
 * does, and no request the model can describe ends in a server error.
 */
class ModelConformanceTest {
  private static final ServiceModel MODEL = EcsService.MODEL;
  private static final String UNKNOWN_MEMBER = "berthConformanceUnknownMember";
  private static final int VARIANTS = 3;

  private static TestServer berth;
  private static RawClient raw;
  private static String keyId;
  private static String secret;
  private static Set<String> implemented;
  private static String clusterArn;

  @BeforeAll
  static void start() {
    implemented = implementedOperations();
    berth = TestServer.start();
    raw = new RawClient(berth.endpoint());
    keyId = berth.server().accessKey().accessKeyId();
    secret = berth.server().accessKey().secretAccessKey();
    for (String name : List.of("conformance", "conformance-doomed")) {
      Exchange cluster = send("CreateCluster", "{\"clusterName\":\"" + name + "\"}");
      assertThat(cluster.status()).as("%s", cluster).isEqualTo(200);
      if (name.equals("conformance")) {
        clusterArn = cluster.answer().json().path("cluster").path("clusterArn").asText();
      }
      Exchange taskDefinition =
          send(
              "RegisterTaskDefinition",
              "{\"family\":\"" + name + "\",\"containerDefinitions\":" + containers() + "}");
      assertThat(taskDefinition.status()).as("%s", taskDefinition).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void theImplementedOperationsAreOperationsOfTheModel() {
    assertThat(implemented).isNotEmpty();
    assertThat(MODEL.operations().keySet()).containsAll(implemented);
  }

  @TestFactory
  Stream<DynamicTest> anEmptyRequestIsAnsweredAsTheModelPrescribes() {
    return MODEL.operations().values().stream()
        .map(
            operation ->
                DynamicTest.dynamicTest(operation.name(), () -> sendEmptyRequest(operation)));
  }

  private static void sendEmptyRequest(ServiceModel.Operation operation) {
    Exchange exchange = send(operation.name(), "{}");
    assertThat(exchange.status()).as("%s", exchange).isLessThan(500);
    if (!implemented.contains(operation.name())) {
      assertError(exchange, "UnsupportedFeatureException");
      assertThat(exchange.message()).as("%s", exchange).contains(operation.name());
      return;
    }
    List<String> required = required(operation.inputShape());
    if (!required.isEmpty()) {
      assertError(exchange, "InvalidParameterException");
      assertThat(exchange.message()).as("%s", exchange).contains("'" + required.get(0) + "'");
    } else if (exchange.status() != 200) {
      assertThat(exchange.status()).as("%s", exchange).isEqualTo(400);
      assertThat(operation.errors()).as("%s", exchange).contains(exchange.errorType());
    }
  }

  @TestFactory
  Stream<DynamicContainer> aMemberOfTheWrongJsonTypeIsASerializationException() {
    return implementedModelOperations().stream()
        .map(
            operation ->
                DynamicContainer.dynamicContainer(
                    operation.name(), wrongTypeCases(operation).stream()));
  }

  private static List<DynamicTest> wrongTypeCases(ServiceModel.Operation operation) {
    List<DynamicTest> cases = new ArrayList<>();
    members(operation.inputShape())
        .forEach(
            (member, shapeName) ->
                wrongValues(shapeName)
                    .forEach(
                        (description, value) -> {
                          ObjectNode body = Json.object();
                          body.set(member, value);
                          cases.add(
                              DynamicTest.dynamicTest(
                                  member + " as " + description,
                                  () -> {
                                    Exchange exchange = send(operation.name(), body.toString());
                                    assertError(exchange, "SerializationException");
                                    assertThat(exchange.message())
                                        .as("%s", exchange)
                                        .contains(member);
                                  }));
                        }));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> anUnknownMemberBesideAValidRequestIsIgnored() {
    return implementedModelOperations().stream()
        .map(
            operation ->
                DynamicTest.dynamicTest(operation.name(), () -> sendUnknownMember(operation)));
  }

  /**
   * Sends a minimal request with an unknown member; an error must be one the same request answers
   * without it, so that a destructive operation is tried only once when it succeeds.
   */
  private static void sendUnknownMember(ServiceModel.Operation operation) {
    ObjectNode body = minimalRequest(operation);
    ObjectNode withUnknown = body.deepCopy();
    withUnknown.set(UNKNOWN_MEMBER, Json.object().set("nested", Json.array().add(1).add("x")));

    Exchange exchange = send(operation.name(), withUnknown.toString());

    assertThat(exchange.status()).as("%s", exchange).isLessThan(500);
    if (exchange.status() == 200) {
      return;
    }
    assertThat(exchange.errorType()).as("%s", exchange).isNotEqualTo("SerializationException");
    assertThat(exchange.message()).as("%s", exchange).doesNotContain(UNKNOWN_MEMBER);
    Exchange without = send(operation.name(), body.toString());
    assertThat(without.status()).as("%s then %s", exchange, without).isEqualTo(exchange.status());
    assertThat(without.errorType())
        .as("%s then %s", exchange, without)
        .isEqualTo(exchange.errorType());
  }

  /**
   * Returns a request with every required member of the operation's input, each given a value that
   * names this test's fixtures; Delete and Deregister operations get fixtures of their own, so that
   * they take nothing away from the other operations.
   */
  private static ObjectNode minimalRequest(ServiceModel.Operation operation) {
    boolean destructive =
        operation.name().startsWith("Delete") || operation.name().startsWith("Deregister");
    String fixture = destructive ? "conformance-doomed" : "conformance";
    Map<String, JsonNode> values = new LinkedHashMap<>();
    values.put("cluster", TextNode.valueOf(fixture));
    values.put("family", TextNode.valueOf("conformance"));
    values.put("taskDefinition", TextNode.valueOf(fixture + ":1"));
    values.put("taskDefinitions", Json.array().add("conformance:1"));
    values.put("containerDefinitions", parse(containers()));
    values.put("resourceArn", TextNode.valueOf(clusterArn));
    values.put("tags", parse("[{\"key\":\"conformance\",\"value\":\"yes\"}]"));
    values.put("tagKeys", Json.array().add("conformance"));
    values.put("settings", parse("[{\"name\":\"containerInsights\",\"value\":\"enabled\"}]"));
    return (ObjectNode) minimalValue(operation.inputShape(), values);
  }

  private static JsonNode minimalValue(String shapeName, Map<String, JsonNode> values) {
    JsonNode shape = MODEL.shape(shapeName);
    return switch (shape.path("type").asText()) {
      case "structure" -> {
        ObjectNode node = Json.object();
        JsonNode members = shape.path("members");
        for (String member : required(shapeName)) {
          JsonNode value = values.get(member);
          node.set(
              member,
              value != null
                  ? value
                  : minimalValue(members.path(member).path("shape").asText(), values));
        }
        yield node;
      }
      case "list" -> Json.array();
      case "map" -> Json.object();
      case "integer", "long" -> IntNode.valueOf(shape.path("min").asInt(1));
      case "double", "float", "timestamp" -> DecimalNode.valueOf(BigDecimal.ONE);
      case "boolean" -> BooleanNode.FALSE;
      default ->
          TextNode.valueOf(shape.has("enum") ? shape.get("enum").get(0).asText() : "conformance");
    };
  }

  @TestFactory
  Stream<DynamicContainer> aMemberFilledInCompletelyNeverEndsInAServerError() {
    return implementedModelOperations().stream()
        .map(
            operation ->
                DynamicContainer.dynamicContainer(
                    operation.name(), fullMemberCases(operation).stream()));
  }

  /**
   * Returns cases that add one member, with every member below it filled in, to the operation's
   * minimal request: each optional member of the input, and each member of the first element of its
   * required lists of structures (a task definition's container, say).
   */
  private static List<DynamicTest> fullMemberCases(ServiceModel.Operation operation) {
    List<DynamicTest> cases = new ArrayList<>();
    List<String> required = required(operation.inputShape());
    for (int variant = 0; variant < VARIANTS; variant++) {
      int chosen = variant;
      members(operation.inputShape())
          .forEach(
              (member, shapeName) -> {
                if (!required.contains(member)) {
                  cases.add(
                      fullMemberCase(
                          operation,
                          member + ", variant " + chosen,
                          body -> body.set(member, fullValue(shapeName, chosen, 0))));
                  return;
                }
                JsonNode shape = MODEL.shape(shapeName);
                String element = shape.path("member").path("shape").asText();
                if (!"list".equals(shape.path("type").asText())
                    || !"structure".equals(MODEL.shape(element).path("type").asText())) {
                  return;
                }
                members(element)
                    .forEach(
                        (inner, innerShape) ->
                            cases.add(
                                fullMemberCase(
                                    operation,
                                    member + "[0]." + inner + ", variant " + chosen,
                                    body -> {
                                      JsonNode list = body.get(member);
                                      if (list != null && list.size() > 0) {
                                        ((ObjectNode) list.get(0))
                                            .set(inner, fullValue(innerShape, chosen, 0));
                                      }
                                    })));
              });
    }
    return cases;
  }

  private static DynamicTest fullMemberCase(
      ServiceModel.Operation operation, String name, Consumer<ObjectNode> change) {
    return DynamicTest.dynamicTest(
        name,
        () -> {
          ObjectNode body = minimalRequest(operation);
          change.accept(body);
          Exchange exchange = send(operation.name(), body.toString());
          assertThat(exchange.status()).as("%s", exchange).isLessThan(500);
        });
  }

  /**
   * Returns a value of the shape's type with every member filled in. Variant 0 fills in ordinary
   * values, variant 1 empty strings and the largest numbers, variant 2 ARNs and the smallest
   * numbers; each picks a different value of an enum. Every value keeps to the model's types.
   */
  private static JsonNode fullValue(String shapeName, int variant, int depth) {
    JsonNode shape = MODEL.shape(shapeName);
    return switch (shape.path("type").asText()) {
      case "structure" -> {
        ObjectNode node = Json.object();
        if (depth < 8) {
          shape
              .path("members")
              .properties()
              .forEach(
                  member ->
                      node.set(
                          member.getKey(),
                          fullValue(member.getValue().path("shape").asText(), variant, depth + 1)));
        }
        yield node;
      }
      case "list" ->
          Json.array()
              .add(fullValue(shape.path("member").path("shape").asText(), variant, depth + 1));
      case "map" -> {
        ObjectNode node = Json.object();
        node.set(
            "conformance",
            fullValue(shape.path("value").path("shape").asText(), variant, depth + 1));
        yield node;
      }
      case "integer", "long" -> {
        long value =
            switch (variant) {
              case 0 -> 1;
              case 1 -> Integer.MAX_VALUE;
              default -> -1;
            };
        value = Math.max(value, shape.path("min").asLong(Long.MIN_VALUE));
        value = Math.min(value, shape.path("max").asLong(Long.MAX_VALUE));
        yield IntNode.valueOf((int) value);
      }
      case "double", "float", "timestamp" -> DecimalNode.valueOf(BigDecimal.valueOf(variant));
      case "boolean" -> BooleanNode.valueOf(variant != 1);
      default -> {
        if (shape.has("enum")) {
          JsonNode values = shape.get("enum");
          yield values.get(variant % values.size());
        }
        yield TextNode.valueOf(
            switch (variant) {
              case 0 -> "conformance";
              case 1 -> "";
              default -> clusterArn;
            });
      }
    };
  }

  /** Returns JSON values of the wrong type for a shape, by what they are. */
  private static Map<String, JsonNode> wrongValues(String shapeName) {
    JsonNode shape = MODEL.shape(shapeName);
    Map<String, JsonNode> values = new LinkedHashMap<>();
    switch (shape.path("type").asText()) {
      case "string" -> {
        values.put("an object", Json.object());
        values.put("a number", IntNode.valueOf(1));
        values.put("a boolean", BooleanNode.TRUE);
        values.put("a list", Json.array().add("x"));
      }
      case "integer", "long" -> {
        values.put("a string", TextNode.valueOf("1"));
        values.put("a fraction", DecimalNode.valueOf(new BigDecimal("1.5")));
        values.put("a number beyond the range", DecimalNode.valueOf(new BigDecimal("1e30")));
        values.put("a boolean", BooleanNode.TRUE);
      }
      case "double", "float", "timestamp" -> {
        values.put("a string", TextNode.valueOf("1"));
        values.put("a boolean", BooleanNode.TRUE);
      }
      case "boolean" -> {
        values.put("a string", TextNode.valueOf("true"));
        values.put("a number", IntNode.valueOf(1));
        values.put("an object", Json.object());
      }
      case "list" -> {
        values.put("a string", TextNode.valueOf("x"));
        values.put("an object", Json.object());
        Map.Entry<String, JsonNode> element =
            wrongValues(shape.path("member").path("shape").asText()).entrySet().iterator().next();
        ArrayNode list = Json.array().add(element.getValue());
        values.put("a list holding " + element.getKey(), list);
      }
      case "structure" -> {
        values.put("a string", TextNode.valueOf("x"));
        values.put("a list", Json.array().add(Json.object()));
        values.put("a number", IntNode.valueOf(1));
      }
      case "map" -> {
        values.put("a list", Json.array());
        values.put("a string", TextNode.valueOf("x"));
      }
      default -> values.put("a list", Json.array());
    }
    return values;
  }

  /** Returns the operations Berth implements, as a service of its own reports them. */
  private static Set<String> implementedOperations() {
    try {
      Path dir = Files.createTempDirectory("berth-conformance-");
      try (SqliteStore store = SqliteStore.open(dir.resolve("berth.db"))) {
        return Set.copyOf(
            new EcsService(new EcsState(store, Runnable::run), Clock.systemUTC())
                .implementedOperations());
      } finally {
        TestServer.deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ServiceModel.Operation> implementedModelOperations() {
    return MODEL.operations().values().stream()
        .filter(operation -> implemented.contains(operation.name()))
        .toList();
  }

  /** Returns the input shape's members and their shapes, in model order. */
  private static Map<String, String> members(String shapeName) {
    Map<String, String> members = new LinkedHashMap<>();
    if (shapeName == null) {
      return members;
    }
    MODEL
        .shape(shapeName)
        .path("members")
        .properties()
        .forEach(entry -> members.put(entry.getKey(), entry.getValue().path("shape").asText()));
    return members;
  }

  private static List<String> required(String shapeName) {
    List<String> required = new ArrayList<>();
    if (shapeName == null) {
      return required;
    }
    MODEL.shape(shapeName).path("required").forEach(name -> required.add(name.asText()));
    return required;
  }

  private static String containers() {
    return "[{\"name\":\"web\",\"image\":\"nginx\",\"memory\":128}]";
  }

  /** A request sent and its answer, which assertion failures show together. */
  private record Exchange(String operation, String body, RawClient.Answer answer) {
    int status() {
      return answer.status();
    }

    String errorType() {
      return answer.errorType();
    }

    String message() {
      return answer.json().path("message").asText();
    }

    @Override
    public String toString() {
      return operation + " " + body + " -> " + answer.status() + " " + answer.body();
    }
  }

  private static Exchange send(String operation, String body) {
    return new Exchange(
        operation,
        body,
        raw.signed(operation, body, keyId, secret, "us-east-1", "ecs", Clock.systemUTC()));
  }

  private static void assertError(Exchange exchange, String type) {
    assertThat(exchange.status()).as("%s", exchange).isEqualTo(400);
    assertThat(exchange.errorType()).as("%s", exchange).isEqualTo(type);
    assertThat(exchange.answer().headers().get("x-amzn-errortype"))
        .as("%s", exchange)
        .containsExactly(type);
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
