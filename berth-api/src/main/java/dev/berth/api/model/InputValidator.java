package dev.berth.api.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.api.ProtocolErrors;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a request body against an operation's input shape in a {@link ServiceModel} and returns a
 * clean copy of it.
 *
 * <p>A member of the wrong JSON type is a {@code SerializationException}, as AWS's JSON protocol
 * answers; a missing required member or a value outside the model's enums, lengths, ranges or
 * patterns is the service's own validation error (for ECS {@code InvalidParameterException}).
 * Members the model does not know are dropped, as AWS ignores them; JSON nulls count as absent.
 *
 * <p>A service may add the length limits it documents but its model does not carry ({@link
 * LengthLimits}): a limit of a member, and a ceiling for every other string the model leaves
 * unbounded. They are checked, and answered, as if the model carried them.
 */
public final class InputValidator {
  private final ServiceModel model;
  private final String validationErrorCode;
  private final LengthLimits limits;
  private final String missingMemberCode;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /**
   * The limits a service documents beyond its model: string lengths by member ({@code
   * Shape.member}, which for a list or map member bounds each of its strings), list sizes by
   * member, and a ceiling for every other string.
   *
   * @param lengths the longest value of each string member named, in characters
   * @param counts the most elements of each list member named
   * @param ceiling the longest value of any other string the model leaves unbounded
   */
  public record LengthLimits(
      Map<String, Integer> lengths, Map<String, Integer> counts, int ceiling) {
    /** No limits beyond the model. */
    public static final LengthLimits NONE = new LengthLimits(Map.of(), Map.of(), Integer.MAX_VALUE);

    /** Creates limits; the maps are copied. */
    public LengthLimits {
      lengths = Map.copyOf(lengths);
      counts = Map.copyOf(counts);
    }
  }

  /** Creates a validator for a model that answers constraint violations with the code given. */
  public InputValidator(ServiceModel model, String validationErrorCode) {
    this(model, validationErrorCode, validationErrorCode, LengthLimits.NONE);
  }

  /** Creates a validator that also holds strings to the service's documented length limits. */
  public InputValidator(ServiceModel model, String validationErrorCode, LengthLimits limits) {
    this(model, validationErrorCode, validationErrorCode, limits);
  }

  /**
   * Creates a validator for a model that answers a missing required member with its own code (for
   * CloudWatch {@code MissingParameter}) and other constraint violations with the first.
   */
  public InputValidator(ServiceModel model, String validationErrorCode, String missingMemberCode) {
    this(model, validationErrorCode, missingMemberCode, LengthLimits.NONE);
  }

  private InputValidator(
      ServiceModel model,
      String validationErrorCode,
      String missingMemberCode,
      LengthLimits limits) {
    this.model = requireNonNull(model);
    this.validationErrorCode = requireNonNull(validationErrorCode);
    this.missingMemberCode = requireNonNull(missingMemberCode);
    this.limits = requireNonNull(limits);
  }

  /** Returns the cleaned input of the shape, or throws the error AWS would answer. */
  public ObjectNode validate(String shapeName, JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      input = Json.object();
    }
    if (!input.isObject()) {
      throw ProtocolErrors.serialization("Request body must be a JSON object.");
    }
    return (ObjectNode) check(shapeName, input, "", "");
  }

  /** Checks a value; {@code member} names the member it is in ({@code Shape.member}), or is "". */
  private JsonNode check(String shapeName, JsonNode value, String path, String member) {
    JsonNode shape = model.shape(shapeName);
    String type = shape.path("type").asText();
    return switch (type) {
      case "structure" -> structure(shapeName, shape, value, path);
      case "list" -> list(shape, value, path, member);
      case "map" -> map(shape, value, path, member);
      case "string" -> string(shape, value, path, member);
      case "integer" -> integral(shape, value, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "long" -> integral(shape, value, path, Long.MIN_VALUE, Long.MAX_VALUE);
      case "double", "float" -> decimal(shape, value, path);
      case "boolean" -> {
        if (!value.isBoolean()) {
          throw wrongType(path, "a boolean");
        }
        yield BooleanNode.valueOf(value.booleanValue());
      }
      case "timestamp" -> {
        if (!value.isNumber()) {
          throw wrongType(path, "a timestamp in epoch seconds");
        }
        yield DecimalNode.valueOf(value.decimalValue());
      }
      case "blob" -> {
        if (!value.isTextual()) {
          throw wrongType(path, "a base64 string");
        }
        yield value;
      }
      default -> value;
    };
  }

  private JsonNode structure(String shapeName, JsonNode shape, JsonNode value, String path) {
    if (!value.isObject()) {
      throw wrongType(path, "an object");
    }
    ObjectNode clean = Json.object();
    JsonNode members = shape.path("members");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode member = members.get(field.getKey());
      if (member == null || field.getValue().isNull()) {
        continue;
      }
      String memberPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      clean.set(
          field.getKey(),
          check(
              member.path("shape").asText(),
              field.getValue(),
              memberPath,
              shapeName + "." + field.getKey()));
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode required : shape.path("required")) {
      String name = required.asText();
      if (seen.add(name) && !clean.has(name)) {
        String memberPath = path.isEmpty() ? name : path + "." + name;
        throw new AwsException(
            missingMemberCode,
            400,
            "1 validation error detected: Value null at '"
                + memberPath
                + "' failed to satisfy constraint: Member must not be null");
      }
    }
    return clean;
  }

  private JsonNode list(JsonNode shape, JsonNode value, String path, String member) {
    if (!value.isArray()) {
      throw wrongType(path, "a list");
    }
    checkCount(shape, value.size(), path);
    Integer most = limits.counts().get(member);
    if (most != null && value.size() > most) {
      throw invalid(
          "of " + value.size() + " members",
          path,
          "Member must have length less than or equal to " + most);
    }
    String memberShape = shape.path("member").path("shape").asText();
    ArrayNode clean = Json.array();
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = path + "[" + i + "]";
      if (element.isNull()) {
        throw invalid("null", elementPath, "Member must not be null");
      }
      clean.add(check(memberShape, element, elementPath, member));
    }
    return clean;
  }

  private JsonNode map(JsonNode shape, JsonNode value, String path, String member) {
    if (!value.isObject()) {
      throw wrongType(path, "a map");
    }
    checkCount(shape, value.size(), path);
    String keyShape = shape.path("key").path("shape").asText();
    String valueShape = shape.path("value").path("shape").asText();
    ObjectNode clean = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String entryPath = path + "." + entry.getKey();
      check(keyShape, TextNode.valueOf(entry.getKey()), entryPath, member);
      if (entry.getValue().isNull()) {
        throw invalid("null", entryPath, "Member must not be null");
      }
      clean.set(entry.getKey(), check(valueShape, entry.getValue(), entryPath, member));
    }
    return clean;
  }

  private JsonNode string(JsonNode shape, JsonNode value, String path, String member) {
    if (!value.isTextual()) {
      throw wrongType(path, "a string");
    }
    String text = value.textValue();
    int length = text.codePointCount(0, text.length());
    if (shape.has("min") && length < shape.get("min").asLong()) {
      throw invalid(
          quote(text),
          path,
          "Member must have length greater than or equal to " + shape.get("min").asLong());
    }
    Integer documented = limits.lengths().get(member);
    long max =
        shape.has("max")
            ? shape.get("max").asLong()
            : documented != null ? documented : limits.ceiling();
    if (length > max) {
      throw invalid(quote(text), path, "Member must have length less than or equal to " + max);
    }
    if (shape.has("enum")) {
      boolean known = false;
      for (JsonNode allowed : shape.get("enum")) {
        known |= allowed.asText().equals(text);
      }
      if (!known) {
        throw invalid(
            quote(text),
            path,
            "Member must satisfy enum value set: " + enumList(shape.get("enum")));
      }
    }
    if (shape.has("pattern")) {
      String regex = shape.get("pattern").asText();
      Pattern pattern = patterns.computeIfAbsent(regex, Pattern::compile);
      if (!pattern.matcher(text).matches()) {
        throw invalid(
            quote(text), path, "Member must satisfy regular expression pattern: " + regex);
      }
    }
    return value;
  }

  private JsonNode integral(JsonNode shape, JsonNode value, String path, long min, long max) {
    if (!value.isNumber()) {
      throw wrongType(path, "an integer");
    }
    BigDecimal number = value.decimalValue();
    long whole;
    try {
      whole = number.longValueExact();
    } catch (ArithmeticException e) {
      throw wrongType(path, "an integer");
    }
    if (whole < min || whole > max) {
      throw wrongType(path, "an integer in range");
    }
    checkRange(shape, BigDecimal.valueOf(whole), path);
    return max == Integer.MAX_VALUE ? IntNode.valueOf((int) whole) : LongNode.valueOf(whole);
  }

  private JsonNode decimal(JsonNode shape, JsonNode value, String path) {
    if (!value.isNumber()) {
      throw wrongType(path, "a number");
    }
    checkRange(shape, value.decimalValue(), path);
    return DecimalNode.valueOf(value.decimalValue());
  }

  private void checkRange(JsonNode shape, BigDecimal number, String path) {
    if (shape.has("min") && number.compareTo(shape.get("min").decimalValue()) < 0) {
      throw invalid(
          number.toPlainString(),
          path,
          "Member must have value greater than or equal to "
              + shape.get("min").decimalValue().toPlainString());
    }
    if (shape.has("max") && number.compareTo(shape.get("max").decimalValue()) > 0) {
      throw invalid(
          number.toPlainString(),
          path,
          "Member must have value less than or equal to "
              + shape.get("max").decimalValue().toPlainString());
    }
  }

  private void checkCount(JsonNode shape, int size, String path) {
    if (shape.has("min") && size < shape.get("min").asLong()) {
      throw invalid(
          "of " + size + " members",
          path,
          "Member must have length greater than or equal to " + shape.get("min").asLong());
    }
    if (shape.has("max") && size > shape.get("max").asLong()) {
      throw invalid(
          "of " + size + " members",
          path,
          "Member must have length less than or equal to " + shape.get("max").asLong());
    }
  }

  private AwsException invalid(String value, String path, String constraint) {
    return new AwsException(
        validationErrorCode,
        400,
        "1 validation error detected: Value "
            + value
            + " at '"
            + path
            + "' failed to satisfy constraint: "
            + constraint);
  }

  private static AwsException wrongType(String path, String expected) {
    return ProtocolErrors.serialization("Member '" + path + "' must be " + expected + ".");
  }

  private static String enumList(JsonNode values) {
    StringBuilder list = new StringBuilder("[");
    for (JsonNode value : values) {
      list.append(list.length() > 1 ? ", " : "").append(value.asText());
    }
    return list.append(']').toString();
  }

  private static String quote(String text) {
    return "'" + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "'";
  }
}
